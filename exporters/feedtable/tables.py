"""The feed tables: one per feed, with the original exporter's columns.

``source_entity_id`` is an integer here (every feed of this exporter is keyed by an integer
source id), which lets a chunk find its rows with one indexed range scan.
"""

from __future__ import annotations

from typing import Any

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
)
from sqlalchemy.dialects import mysql

feed_metadata = MetaData()

#: MEDIUMTEXT on MariaDB/MySQL, as the original ``feed_data`` column.
FEED_TEXT = Text().with_variant(mysql.MEDIUMTEXT(), "mysql").with_variant(mysql.MEDIUMTEXT(), "mariadb")


def feed_table_columns() -> list[Column[object]]:
    """Fresh column objects (a Column belongs to one Table), shared by the model and migrations."""
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("source_entity_id", BigInteger, nullable=False),
        Column("feed_id", String(64), nullable=False, unique=True),
        Column("modified_at", DateTime, nullable=False),
        Column("is_deleted", SmallInteger, nullable=False, server_default="0"),
        Column("status", SmallInteger, nullable=False, server_default="0"),
        Column("feed_data", FEED_TEXT, nullable=False),
        Column("feed_hash", String(64)),
        Column("errors", Text),
        Column("metadata", Text),
        # Not in the original table: the fingerprint of the source rows the item was built
        # from, which lets an unchanged re-run skip assembling it (migration 0003).
        Column("source_hash", String(40)),
    ]


def feed_table_indexes(name: str) -> list[Index]:
    """Short names: MariaDB allows 64 characters and feed table names are long already."""
    return [Index(f"{name}_src_mod", "source_entity_id", "modified_at"), Index(f"{name}_status", "status")]


_tables: dict[str, Table] = {}


def feed_table(name: str) -> Table:
    """The Table object of a feed table, created once per name."""
    table = _tables.get(name)
    if table is None:
        table = Table(name, feed_metadata, *feed_table_columns(), *feed_table_indexes(name))
        _tables[name] = table
    return table


def create_feed_table(op: Any, name: str) -> None:
    """Alembic operations creating a feed table with the current columns and indexes.

    Used by the migration that adds a feed; the column set of existing feed tables only ever
    changes through migrations of their own.
    """
    op.create_table(name, *feed_table_columns())
    for index in feed_table_indexes(name):
        op.create_index(index.name, name, [str(c) for c in index.expressions])
