"""What the receiver holds: the current item of every identity, and how often each was received.

A stored batch keeps its body as it arrived (``receiver_batch``); one row per (data space, feed,
identity) points at the item's place in its latest batch and keeps a ``receipts`` counter that
every receipt of that identity increments, a tombstone included. Keeping the body whole, rather
than an item per row, makes storing a batch one blob and a hundred small rows keyed in catalog
order, which cost a fifth as much CPU as a row of JSON per random identity hash
(docs/benchmarks.md, "HTTP delivery"). A tombstone clears the pointer rather than deleting the
row, so a test still sees that the identity was sent (and how often) after it was removed.
``receiver_request`` counts the batches stored per feed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import (
    Column,
    Connection,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.sql.base import Executable, ReadOnlyColumnCollection
from sqlalchemy.sql.elements import ColumnElement, KeyedColumnElement

from exporters.db import create_db_engine, redact
from exporters.exceptions import error_line
from exporters.model import Item
from receiver.exceptions import ReceiverError
from receiver.intake import MAX_SORT_KEY, Receipt, decompressed

metadata = MetaData()

#: LONGBLOB on MariaDB/MySQL: a batch body outgrows BLOB's 64 KiB.
BODY = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")
#: Compared byte by byte on MariaDB/MySQL too, as on SQLite: two SKUs differing in case are two items.
SORT_KEY = String(MAX_SORT_KEY).with_variant(
    mysql.VARCHAR(MAX_SORT_KEY, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
)
#: Parsed batch bodies kept for reading pages of items (a body never changes once stored).
PARSED_BATCHES = 64

batches_table = Table(
    "receiver_batch",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("data_space", String(64), nullable=False, index=True),
    Column("content_encoding", String(16), nullable=False),
    Column("body", BODY, nullable=False),
    sqlite_autoincrement=True,  # an id is never reused after a delete: parsed bodies are cached by id
)

items_table = Table(
    "receiver_item",
    metadata,
    Column("data_space", String(64), primary_key=True),
    Column("feed", String(64), primary_key=True),
    # The identity values joined (intake.SORT_SEPARATOR): the key, so items sent in catalog order
    # are written side by side, and GET lists them in identity order.
    Column("sort_key", SORT_KEY, primary_key=True),
    Column("feed_id", String(40), nullable=False),
    # Where the item is: its batch and its index there; NULL once a tombstone was received.
    Column("batch_id", Integer),
    Column("item_index", Integer),
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
        # SQLite takes one writer at a time and makes the others poll with growing sleeps (up to
        # 100 ms each); queueing the writers here instead hands the database on at once.
        self._write_lock: AbstractContextManager[Any] = (
            threading.Lock() if self.engine.dialect.name == "sqlite" else nullcontext()
        )
        self._parsed: dict[int, list[Item]] = {}
        self._cache_lock = threading.Lock()
        try:
            metadata.create_all(self.engine)
            columns = {column["name"] for column in inspect(self.engine).get_columns(items_table.name)}
        except DBAPIError as exc:
            self.engine.dispose()
            raise ReceiverError(f"cannot open the receiver database {redact(url)}: {error_line(exc)}") from exc
        if "batch_id" not in columns:
            self.engine.dispose()
            raise ReceiverError(
                f"the receiver database {redact(url)} was made by an earlier receiver (items stored one per row): "
                "delete it, or give --db a new one"
            )

    def close(self) -> None:
        self.engine.dispose()

    def receive(
        self, data_space: str, feed: str, receipts: Sequence[Receipt], body: bytes, content_encoding: str
    ) -> None:
        """Store a batch's accepted items (``body`` as it arrived) and count the batch, all or nothing."""
        latest: dict[str, dict[str, Any]] = {}
        for receipt in receipts:  # an identity sent twice in one batch: the last one wins, both count
            row = latest.setdefault(receipt.sort_key, {"data_space": data_space, "feed": feed, "receipts": 0})
            row.update(sort_key=receipt.sort_key, feed_id=receipt.feed_id, item_index=receipt.index)
            row["receipts"] += 1
        with self._write_lock, self.engine.begin() as conn:
            batch_id = None
            if any(row["item_index"] is not None for row in latest.values()):
                stored = insert(batches_table).values(
                    data_space=data_space, content_encoding=content_encoding, body=body
                )
                batch_id = conn.execute(stored).inserted_primary_key[0]  # type: ignore[index]
            for row in latest.values():
                row["batch_id"] = None if row["item_index"] is None else batch_id
            if latest:
                replaced = ("feed_id", "batch_id", "item_index")
                _add(conn, items_table, list(latest.values()), replace=replaced, counter="receipts")
            _add(conn, requests_table, [{"data_space": data_space, "feed": feed, "requests": 1}], counter="requests")

    def items(self, data_space: str, feed: str, offset: int, limit: int) -> tuple[list[Item], int]:
        """A page of the items held, in identity order, and how many there are in all."""
        held = (items_table.c.data_space == data_space, items_table.c.feed == feed, items_table.c.batch_id.is_not(None))
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(items_table).where(*held)).scalar_one()
            places = conn.execute(
                select(items_table.c.batch_id, items_table.c.item_index)
                .where(*held)
                .order_by(items_table.c.sort_key)
                .offset(offset)
                .limit(limit)
            ).all()
            bodies = self._bodies(conn, {batch_id for batch_id, _ in places})
        return [bodies[batch_id][index] for batch_id, index in places], total

    def _bodies(self, conn: Connection, ids: Iterable[int]) -> dict[int, list[Item]]:
        """The parsed bodies of batches ``ids``, from the cache where they are."""
        with self._cache_lock:
            found = {batch_id: self._parsed[batch_id] for batch_id in ids if batch_id in self._parsed}
        missing = set(ids) - set(found)
        if missing:
            rows = conn.execute(
                select(batches_table.c.id, batches_table.c.content_encoding, batches_table.c.body).where(
                    batches_table.c.id.in_(missing)
                )
            )
            for batch_id, encoding, body in rows:
                found[batch_id] = orjson.loads(decompressed(body, encoding))
            with self._cache_lock:
                self._parsed.update((batch_id, found[batch_id]) for batch_id in missing)
                for stale in list(self._parsed)[: max(0, len(self._parsed) - PARSED_BATCHES)]:
                    del self._parsed[stale]
        return found

    def feeds(self, data_space: str) -> dict[str, int]:
        """Items held per feed of ``data_space`` (feeds holding none are left out)."""
        query = (
            select(items_table.c.feed, func.count())
            .where(items_table.c.data_space == data_space, items_table.c.batch_id.is_not(None))
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
        """Forget a data space (items, their batches, receipts, request counts); the number of items it held."""
        held = (items_table.c.data_space == data_space, items_table.c.batch_id.is_not(None))
        with self._write_lock, self.engine.begin() as conn:
            # A write first: on SQLite a transaction that read first cannot always upgrade to writing.
            conn.execute(delete(requests_table).where(requests_table.c.data_space == data_space))
            count = conn.execute(select(func.count()).select_from(items_table).where(*held)).scalar_one()
            conn.execute(delete(items_table).where(items_table.c.data_space == data_space))
            conn.execute(delete(batches_table).where(batches_table.c.data_space == data_space))
            return int(count)


def _add(
    conn: Connection, table: Table, rows: list[dict[str, Any]], *, counter: str, replace: tuple[str, ...] = ()
) -> None:
    """Insert ``rows``, or on a key already there replace the ``replace`` columns and add up ``counter``.

    ``rows`` carry every column of ``table``. The statement goes to the driver as compiled once:
    SQLAlchemy's per-row parameter processing cost as much as the database's own work.
    """
    sql, names = _upsert(conn.dialect, table, counter, replace)
    params = list(map(itemgetter(*names), rows)) if names else rows
    conn.exec_driver_sql(sql, params)


@cache
def _upsert(dialect: Dialect, table: Table, counter: str, replace: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """One statement per dialect (ON CONFLICT, ON DUPLICATE KEY), compiled once, and the order of its
    positional parameters (empty for a driver that takes them by name). A read-then-write would race
    with a concurrent batch of the same identities and, on SQLite, fail to upgrade its read lock.
    """
    statement: Executable
    if dialect.name in ("mysql", "mariadb"):
        my_insert = mysql.insert(table)
        statement = my_insert.on_duplicate_key_update(_merged(table, my_insert.inserted, counter, replace))
    else:
        insert = sqlite.insert(table) if dialect.name == "sqlite" else postgresql.insert(table)
        keys = [column.name for column in table.primary_key.columns]
        statement = insert.on_conflict_do_update(
            index_elements=keys, set_=_merged(table, insert.excluded, counter, replace)
        )
    compiled = statement.compile(dialect=dialect, column_keys=[column.name for column in table.columns])
    return compiled.string, tuple(compiled.positiontup or ()) if compiled.positional else ()


def _merged(
    table: Table, new: ReadOnlyColumnCollection[str, KeyedColumnElement[Any]], counter: str, replace: tuple[str, ...]
) -> dict[str, ColumnElement[Any]]:
    """The update of a row already there: the new values of ``replace``, ``counter`` added up."""
    values: dict[str, ColumnElement[Any]] = {name: new[name] for name in replace}
    values[counter] = table.c[counter] + new[counter]
    return values
