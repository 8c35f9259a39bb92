"""The parts of the products feed beyond its core, each in its own module (see ``base``)."""

from exporters.feeds.product_parts.base import PartRows, ProductPart, ProductView
from exporters.feeds.product_parts.downloadable import DOWNLOADABLE
from exporters.feeds.product_parts.links import LINKS
from exporters.feeds.product_parts.options import OPTIONS
from exporters.feeds.product_parts.store_fields import STORE_FIELDS
from exporters.feeds.product_parts.urls import URLS

#: Every part, in the order their fields are added to an item.
PARTS: tuple[ProductPart, ...] = (STORE_FIELDS, URLS, LINKS, DOWNLOADABLE, OPTIONS)

__all__ = ["PARTS", "PartRows", "ProductPart", "ProductView"]
