"""saas-export's data layer: plain Python, no Celery.

Reading Magento (``exporters.source``), the feeds (``exporters.feeds``), the feed tables with
change detection (``exporters.feedtable``) and the sample catalogs (``exporters.sample_data``).
"""

from exporters.exceptions import ExportError, FeedNotAvailable, TerminalError, TransientError, UnknownFeed

__all__ = ["ExportError", "FeedNotAvailable", "TerminalError", "TransientError", "UnknownFeed"]
