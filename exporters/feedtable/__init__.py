"""Feed tables: hashing, statuses, tombstones and migrations."""

from exporters.feedtable.hashing import canonical_json, feed_hash, feed_id
from exporters.feedtable.migrate import FeedDatabaseUnavailable, current_revision, upgrade
from exporters.feedtable.status import RESEND_STATUSES, Status
from exporters.feedtable.store import ChangeSet, FeedStore, PendingItem, SendResult
from exporters.feedtable.tables import feed_table

__all__ = [
    "RESEND_STATUSES",
    "ChangeSet",
    "FeedDatabaseUnavailable",
    "FeedStore",
    "PendingItem",
    "SendResult",
    "Status",
    "canonical_json",
    "current_revision",
    "feed_hash",
    "feed_id",
    "feed_table",
    "upgrade",
]
