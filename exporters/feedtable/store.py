"""A feed table's rows: read the ones a range holds, write what change detection decided, and
record what the target said. Nothing here builds or compares items (that is ``diff``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from more_itertools import chunked
from sqlalchemy import Connection, Engine, Table, bindparam, func, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite

from exporters.feedtable.diff import ExistingRow, Row
from exporters.feedtable.tables import feed_table
from exporters.model import FeedKeys, SendResult, Status

#: The feed's description: anything that names, hashes and keeps items (``FeedSpec`` in practice).
F = TypeVar("F", bound=FeedKeys)

#: Feed ids per ``IN (...)`` list: SQLite caps bound parameters, other servers like short lists.
IN_BATCH = 1000


#: A feed row's key in its table: the data space it was sent to, and its item's identity.
KEY = ("data_space", "feed_id")


def upsert(conn: Connection, table: Table, rows: list[Row]) -> None:
    """Insert rows, or update them in place when their key exists: one bulk statement."""
    if not rows:
        return
    columns = [c for c in rows[0] if c not in KEY]
    dialect = conn.dialect.name
    if dialect in ("mysql", "mariadb"):
        my = mysql.insert(table)
        conn.execute(my.on_duplicate_key_update({c: my.inserted[c] for c in columns}), rows)
    elif dialect == "postgresql":
        pg = postgresql.insert(table)
        conn.execute(pg.on_conflict_do_update(index_elements=KEY, set_={c: pg.excluded[c] for c in columns}), rows)
    else:
        lite = sqlite.insert(table)
        conn.execute(lite.on_conflict_do_update(index_elements=KEY, set_={c: lite.excluded[c] for c in columns}), rows)


class FeedStore(Generic[F]):
    """One feed's rows for one data space in the feed database.

    Every read and write is scoped to ``data_space``: statuses belong to the space the items
    were sent to. ``persist_full_payload`` (``PERSIST_EXPORTED_FEED``) is the table's policy for
    ``feed_data``: the whole item instead of the minimal payload a tombstone needs.
    """

    def __init__(
        self, engine: Engine, feed: F, *, data_space: str = "default", persist_full_payload: bool = False
    ) -> None:
        self.engine = engine
        self.feed = feed
        self.table = feed_table(feed.table)
        self.data_space = data_space
        self.persist_full_payload = persist_full_payload
        self._mine = self.table.c.data_space == data_space

    def existing(self, lo: int, hi: int) -> dict[str, ExistingRow]:
        """The rows of source ids ``lo..hi`` by feed id, without their payloads."""
        t = self.table
        query = select(
            t.c.feed_id, t.c.source_entity_id, t.c.feed_hash, t.c.status, t.c.is_deleted, t.c.source_hash
        ).where(self._mine, t.c.source_entity_id.between(lo, hi))
        with self.engine.connect() as conn:
            return {row.feed_id: ExistingRow._make(row) for row in conn.execute(query)}

    def stored_payloads(self, conn: Connection, feed_ids: Iterable[str]) -> dict[str, str]:
        """``feed_data`` of the given rows (read only for the few that become tombstones)."""
        t = self.table
        payloads: dict[str, str] = {}
        for batch in chunked(feed_ids, IN_BATCH):
            query = select(t.c.feed_id, t.c.feed_data).where(self._mine, t.c.feed_id.in_(batch))
            payloads.update((row.feed_id, row.feed_data) for row in conn.execute(query))
        return payloads

    def write(self, conn: Connection, rows: list[Row]) -> None:
        """Insert or update rows by feed id in this data space, in the caller's transaction."""
        for row in rows:
            row["data_space"] = self.data_space
        upsert(conn, self.table, rows)

    def refresh_fingerprints(self, conn: Connection, fingerprints: list[dict[str, str]]) -> None:
        """Remember the new source fingerprint of unchanged rows (``{"fid", "sh"}`` pairs)."""
        if fingerprints:
            t = self.table
            conn.execute(
                update(t).where(t.c.feed_id == bindparam("fid")).values(source_hash=bindparam("sh")), fingerprints
            )

    def record(self, results: Iterable[SendResult], conn: Connection | None = None) -> None:
        """Store each item's status after sending; items without an error are updated in bulk.

        Pass ``conn`` to record in the caller's transaction (a chunk commits its statuses and
        its chunk row together, so a redelivered chunk finds either both or neither).
        """
        if conn is None:
            with self.engine.begin() as own:
                self._record(own, results)
        else:
            self._record(conn, results)

    def _record(self, conn: Connection, results: Iterable[SendResult]) -> None:
        plain: dict[int, list[str]] = defaultdict(list)
        detailed: list[dict[str, Any]] = []
        for result in results:
            if result.error is None and result.metadata is None:
                plain[result.status].append(result.feed_id)
            else:
                detailed.append(
                    {"fid": result.feed_id, "st": result.status, "err": result.error, "meta": result.metadata}
                )
        t = self.table
        for status, ids in plain.items():
            for batch in chunked(ids, IN_BATCH):
                conn.execute(update(t).where(self._mine, t.c.feed_id.in_(batch)).values(status=status, errors=None))
        if detailed:
            conn.execute(
                update(t)
                .where(self._mine, t.c.feed_id == bindparam("fid"))
                .values(status=bindparam("st"), errors=bindparam("err"), metadata=bindparam("meta")),
                detailed,
            )

    def accepted_count(self) -> int:
        """Live items the target holds: what the mass-delete guard measures deletions against."""
        t = self.table
        query = select(func.count()).where(self._mine, t.c.status == int(Status.ACCEPTED), t.c.is_deleted == 0)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def rows(self, conn: Connection, feed_ids: Iterable[str]) -> dict[str, tuple[ExistingRow, str]]:
        """The given rows with their stored payloads (the rows whose tombstones finalize sends)."""
        t = self.table
        found: dict[str, tuple[ExistingRow, str]] = {}
        columns = (t.c.feed_id, t.c.source_entity_id, t.c.feed_hash, t.c.status, t.c.is_deleted, t.c.source_hash)
        for batch in chunked(feed_ids, IN_BATCH):
            for row in conn.execute(select(*columns, t.c.feed_data).where(self._mine, t.c.feed_id.in_(batch))):
                found[row.feed_id] = (ExistingRow._make(row[:6]), row.feed_data)
        return found

    def counts_by_status(self) -> dict[int, int]:
        with self.engine.connect() as conn:
            return {
                int(status): int(count)
                for status, count in conn.execute(
                    select(self.table.c.status, func.count()).where(self._mine).group_by(self.table.c.status)
                )
            }
