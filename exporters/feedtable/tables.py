"""The feed tables: one per feed, with the original exporter's columns.

``source_entity_id`` is an integer here (every feed of this exporter is keyed by an integer
source id), which lets a chunk find its rows with one indexed range scan.

This is the live model; the migrations spell out their own columns, so changing it means a new
migration (tests/exporters/feedtable/test_migrations.py fails until the two agree).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql

feed_metadata = MetaData()

#: MEDIUMTEXT on MariaDB/MySQL, as the original ``feed_data`` column.
FEED_TEXT = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


def feed_table(name: str) -> Table:
    """The Table of a feed table, created once per name: every feed table has the same shape."""
    table = feed_metadata.tables.get(name)
    if table is None:
        table = Table(
            name,
            feed_metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("source_entity_id", BigInteger, nullable=False),
            Column("feed_id", String(64), nullable=False),
            # The data space the row's item was sent to: each space keeps its own statuses and
            # tombstones (migration 0014, docs/http-target.md#data-spaces).
            Column("data_space", String(64), nullable=False, server_default="default"),
            Column("modified_at", DateTime, nullable=False),
            Column("is_deleted", SmallInteger, nullable=False, server_default="0"),
            Column("status", SmallInteger, nullable=False, server_default="0"),
            Column("feed_data", FEED_TEXT, nullable=False),
            Column("feed_hash", String(64)),
            Column("errors", Text),
            Column("metadata", Text),
            # Not in the original table: the fingerprint of the source rows the item was built
            # from, which lets an unchanged re-run skip assembling it.
            Column("source_hash", String(40)),
            # Short names: MariaDB allows 64 characters and feed table names are long already.
            UniqueConstraint("data_space", "feed_id", name=f"{name}_space_feed"),
            Index(f"{name}_src_mod", "data_space", "source_entity_id", "modified_at"),
            Index(f"{name}_status", "status"),
        )
    return table
