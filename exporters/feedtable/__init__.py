"""Feed tables: hashing, change detection, the rows of each feed, and their migrations."""

from exporters.feedtable.diff import ChangeSet, ExistingRow, bury, diff, feed_row, settled, tombstone
from exporters.feedtable.hashing import canonical_json, feed_hash, feed_id
from exporters.feedtable.migrate import FeedDatabaseUnavailable, current_revision, upgrade
from exporters.feedtable.store import FeedStore
from exporters.feedtable.tables import feed_table

__all__ = [
    "ChangeSet",
    "ExistingRow",
    "FeedDatabaseUnavailable",
    "FeedStore",
    "bury",
    "canonical_json",
    "current_revision",
    "diff",
    "feed_hash",
    "feed_id",
    "feed_row",
    "feed_table",
    "settled",
    "tombstone",
    "upgrade",
]
