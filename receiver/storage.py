"""What the receiver holds: the current item of every identity, and how often each was received.

One row per (data space, feed, identity key) keeps the item's JSON and a ``receipts`` counter
that every receipt of that identity increments, a tombstone included. A tombstone empties
``item`` rather than deleting the row, so a test still sees that the identity was sent (and how
often) after it was removed. ``receiver_request`` counts the batches stored per feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, Text, delete, func, select
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.elements import ColumnElement, KeyedColumnElement

from exporters.db import create_db_engine, redact
from exporters.exceptions import error_line
from exporters.model import Item
from receiver.exceptions import ReceiverError
from receiver.intake import Receipt

metadata = MetaData()

#: LONGTEXT on MariaDB/MySQL: a products item with many attributes outgrows TEXT's 64 KiB.
ITEM_TEXT = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")

items_table = Table(
    "receiver_item",
    metadata,
    Column("data_space", String(64), primary_key=True),
    Column("feed", String(64), primary_key=True),
    Column("feed_id", String(40), primary_key=True),
    # The identity values joined (intake.SORT_SEPARATOR): GET lists items in identity order.
    Column("sort_key", Text, nullable=False),
    # NULL once a tombstone was received: the identity is remembered, the item is gone.
    Column("item", ITEM_TEXT),
    Column("receipts", Integer, nullable=False),
)

requests_table = Table(
    "receiver_request",
    metadata,
    Column("data_space", String(64), primary_key=True),
    Column("feed", String(64), primary_key=True),
    Column("requests", Integer, nullable=False),
)

_UPSERT_DIALECTS = ("sqlite", "postgresql", "mysql", "mariadb")


class Storage:
    """The receiver's tables in one database, created when it is opened."""

    def __init__(self, url: str) -> None:
        try:
            self.engine = create_db_engine(url, create_sqlite_dir=True)
        except (ArgumentError, ImportError, OSError) as exc:  # unknown dialect, driver missing, folder not creatable
            raise ReceiverError(f"cannot open the receiver database {redact(url)}: {exc}") from exc
        if self.engine.dialect.name not in _UPSERT_DIALECTS:
            self.engine.dispose()
            raise ReceiverError(
                f"the receiver cannot store in {self.engine.dialect.name} ({redact(url)}): "
                "use SQLite, PostgreSQL, MariaDB or MySQL"
            )
        try:
            metadata.create_all(self.engine)
        except DBAPIError as exc:
            self.engine.dispose()
            raise ReceiverError(f"cannot open the receiver database {redact(url)}: {error_line(exc)}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def receive(self, data_space: str, feed: str, receipts: Sequence[Receipt]) -> None:
        """Store a batch's accepted items and count the batch, all or nothing."""
        latest: dict[str, dict[str, Any]] = {}
        for receipt in receipts:  # an identity sent twice in one batch: the last one wins, both count
            row = latest.setdefault(receipt.feed_id, {"data_space": data_space, "feed": feed, "receipts": 0})
            row.update(feed_id=receipt.feed_id, sort_key=receipt.sort_key, item=receipt.payload)
            row["receipts"] += 1
        with self.engine.begin() as conn:
            if latest:
                _add(conn, items_table, list(latest.values()), replace=("sort_key", "item"), counter="receipts")
            _add(conn, requests_table, [{"data_space": data_space, "feed": feed, "requests": 1}], counter="requests")

    def items(self, data_space: str, feed: str, offset: int, limit: int) -> tuple[list[Item], int]:
        """A page of the items held, in identity order, and how many there are in all."""
        held = (items_table.c.data_space == data_space, items_table.c.feed == feed, items_table.c.item.is_not(None))
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(items_table).where(*held)).scalar_one()
            page = conn.execute(
                select(items_table.c.item)
                .where(*held)
                .order_by(items_table.c.sort_key, items_table.c.feed_id)
                .offset(offset)
                .limit(limit)
            ).scalars()
            return [orjson.loads(text) for text in page], total

    def feeds(self, data_space: str) -> dict[str, int]:
        """Items held per feed of ``data_space`` (feeds holding none are left out)."""
        query = (
            select(items_table.c.feed, func.count())
            .where(items_table.c.data_space == data_space, items_table.c.item.is_not(None))
            .group_by(items_table.c.feed)
            .order_by(items_table.c.feed)
        )
        with self.engine.connect() as conn:
            return {feed: count for feed, count in conn.execute(query)}

    def receipts(self, data_space: str, feed: str) -> tuple[dict[str, int], int]:
        """Receipts per identity key (tombstoned ones too) and the number of batches stored."""
        where_items = (items_table.c.data_space == data_space, items_table.c.feed == feed)
        where_requests = (requests_table.c.data_space == data_space, requests_table.c.feed == feed)
        with self.engine.connect() as conn:
            counts = conn.execute(
                select(items_table.c.feed_id, items_table.c.receipts)
                .where(*where_items)
                .order_by(items_table.c.feed_id)
            )
            requests = conn.execute(select(requests_table.c.requests).where(*where_requests)).scalar()
            return {key: count for key, count in counts}, requests or 0

    def delete(self, data_space: str) -> int:
        """Forget a data space (items, receipts, request counts); the number of items it held."""
        held = (items_table.c.data_space == data_space, items_table.c.item.is_not(None))
        with self.engine.begin() as conn:
            # A write first: on SQLite a transaction that read first cannot always upgrade to writing.
            conn.execute(delete(requests_table).where(requests_table.c.data_space == data_space))
            count = conn.execute(select(func.count()).select_from(items_table).where(*held)).scalar_one()
            conn.execute(delete(items_table).where(items_table.c.data_space == data_space))
            return int(count)


def _add(
    conn: Connection, table: Table, rows: list[dict[str, Any]], *, counter: str, replace: tuple[str, ...] = ()
) -> None:
    """Insert ``rows``, or on a key already there replace the ``replace`` columns and add up ``counter``.

    One statement per dialect (ON CONFLICT, ON DUPLICATE KEY): a read-then-write would race with a
    concurrent batch of the same identities and, on SQLite, fail to upgrade its read lock.
    """
    if conn.dialect.name in ("mysql", "mariadb"):
        my_insert = mysql.insert(table)
        conn.execute(my_insert.on_duplicate_key_update(_merged(table, my_insert.inserted, counter, replace)), rows)
        return
    insert = sqlite.insert(table) if conn.dialect.name == "sqlite" else postgresql.insert(table)
    keys = [column.name for column in table.primary_key.columns]
    conn.execute(
        insert.on_conflict_do_update(index_elements=keys, set_=_merged(table, insert.excluded, counter, replace)), rows
    )


def _merged(
    table: Table, new: ReadOnlyColumnCollection[str, KeyedColumnElement[Any]], counter: str, replace: tuple[str, ...]
) -> dict[str, ColumnElement[Any]]:
    """The update of a row already there: the new values of ``replace``, ``counter`` added up."""
    values: dict[str, ColumnElement[Any]] = {name: new[name] for name in replace}
    values[counter] = table.c[counter] + new[counter]
    return values
