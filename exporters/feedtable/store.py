"""A feed table: which items of a range must be sent, and what happened when they were.

``FeedStore.collect`` is the heart of change detection. For one range of source ids it builds
the items, validates them, compares their hashes with the rows already in the feed table,
bulk-upserts what is new or changed, turns rows whose item vanished from the source into
tombstones, and returns exactly the payloads to send. ``FeedStore.record`` then stores the
status of each sent item. Both are idempotent: running a range twice leaves the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Table, bindparam, func, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite

from exporters.feeds import BuildResult, FeedSpec, Item, ItemFailure, item_error
from exporters.feedtable.hashing import feed_hash, feed_id
from exporters.feedtable.status import RESEND_STATUSES, Status
from exporters.feedtable.tables import feed_table
from exporters.source import MagentoSource

_IN_BATCH = 1000


@dataclass(frozen=True, slots=True)
class PendingItem:
    """An item to send, keyed by its feed row."""

    feed_id: str
    item: Item


@dataclass(frozen=True, slots=True)
class SendResult:
    """What the target said about one item."""

    feed_id: str
    status: int
    error: str | None = None
    metadata: str | None = None


@dataclass
class ChangeSet:
    """The outcome of change detection over one range of source ids."""

    to_send: list[PendingItem] = field(default_factory=list)
    built: int = 0
    new: int = 0
    changed: int = 0
    retried: int = 0
    unchanged: int = 0
    tombstones: int = 0
    #: Entities not assembled at all: their source fingerprint matched their settled rows.
    skipped_entities: int = 0
    failures: list[ItemFailure] = field(default_factory=list)


def _settled(rows: Iterable[Any]) -> dict[int, str]:
    """Source ids whose rows were all built from one fingerprint and need no resend.

    A row that is deleted, failed, retryable or never sent keeps its entity off this list, so
    that entity is always built again.
    """
    fingerprints: dict[int, str | None] = {}
    for row in rows:
        sid = int(row.source_entity_id)
        settled = (
            row.source_hash is not None
            and row.feed_hash is not None
            and not row.is_deleted
            and row.status not in RESEND_STATUSES
        )
        fingerprint = row.source_hash if settled else None
        if fingerprints.get(sid, fingerprint) != fingerprint:
            fingerprint = None
        fingerprints[sid] = fingerprint
    return {sid: fp for sid, fp in fingerprints.items() if fp is not None}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, or update them in place when their ``feed_id`` exists: one bulk statement."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != "feed_id"]
    dialect = conn.dialect.name
    if dialect in ("mysql", "mariadb"):
        my = mysql.insert(table)
        conn.execute(my.on_duplicate_key_update({c: my.inserted[c] for c in columns}), rows)
    elif dialect == "postgresql":
        pg = postgresql.insert(table)
        conn.execute(
            pg.on_conflict_do_update(index_elements=["feed_id"], set_={c: pg.excluded[c] for c in columns}), rows
        )
    else:
        lite = sqlite.insert(table)
        conn.execute(
            lite.on_conflict_do_update(index_elements=["feed_id"], set_={c: lite.excluded[c] for c in columns}),
            rows,
        )


class FeedStore:
    """One feed's table in the feed database."""

    def __init__(self, engine: Engine, spec: FeedSpec, *, persist_full_payload: bool = False) -> None:
        self.engine = engine
        self.spec = spec
        self.table = feed_table(spec.table)
        self.persist_full_payload = persist_full_payload

    def _stored_payload(self, item: Item) -> bytes:
        if self.persist_full_payload:
            return orjson.dumps(item)
        return orjson.dumps({key: item.get(key) for key in self.spec.minimal_payload})

    def collect(self, source: MagentoSource, lo: int, hi: int, *, force: bool = False) -> ChangeSet:
        """Build source ids ``lo..hi``, upsert the feed table and return what must be sent.

        Entities whose feed rows are settled (accepted or rejected, with the fingerprint of the
        source rows they were built from) are handed to the builder as known: if their source
        rows still have that fingerprint they are not assembled again. ``force`` sends every
        built item whatever its hash (``--force`` / ``--by-ids``).
        """
        existing = self._existing(lo, hi)
        known = {} if force else _settled(existing.values())
        built = self.spec.builder(source, lo, hi, known)
        return self._sync(existing, built, lo, hi, force)

    def _existing(self, lo: int, hi: int) -> dict[str, Any]:
        t = self.table
        query = select(
            t.c.feed_id, t.c.source_entity_id, t.c.feed_hash, t.c.status, t.c.is_deleted, t.c.source_hash
        ).where(t.c.source_entity_id.between(lo, hi))
        with self.engine.connect() as conn:
            return {row.feed_id: row for row in conn.execute(query)}

    def _sync(self, existing: dict[str, Any], built: BuildResult, lo: int, hi: int, force: bool) -> ChangeSet:
        """Only new and changed items are validated against the feed's JSON Schema: an item
        whose hash equals its row's was validated when that row was written, and skipping it
        is part of what makes an unchanged re-run cheap. An invalid item becomes a failure.
        """
        spec, table = self.spec, self.table
        changes = ChangeSet(failures=list(built.failures), skipped_entities=len(built.skipped))
        now = _now()
        rows: list[dict[str, Any]] = []
        refresh: list[dict[str, Any]] = []
        seen: set[str] = set()
        if built.skipped:
            for fid, old in existing.items():
                if old.source_entity_id in built.skipped:
                    seen.add(fid)
                    changes.unchanged += 1
        with self.engine.begin() as conn:
            for item in built.items:
                fid = feed_id(item, spec.identity)
                digest = feed_hash(item, spec.hash_excludes)
                source_hash = built.source_hashes.get(item[spec.source_key])
                old = existing.get(fid)
                if old is None or old.feed_hash != digest:
                    error = item_error(spec, item)
                    if error is not None:
                        identity = {key: item.get(key) for key in spec.identity}
                        changes.failures.append(ItemFailure(int(item[spec.source_key]), error, identity))
                        continue
                    if old is None:
                        changes.new += 1
                    else:
                        changes.changed += 1
                    rows.append(self._row(item, fid, digest, source_hash, now))
                elif force or old.status in RESEND_STATUSES:
                    changes.retried += 1
                else:
                    changes.unchanged += 1
                    seen.add(fid)
                    if source_hash is not None and old.source_hash != source_hash:
                        refresh.append({"fid": fid, "sh": source_hash})
                    continue
                seen.add(fid)
                changes.to_send.append(PendingItem(fid, item))
            changes.built = changes.new + changes.changed + changes.retried + changes.unchanged
            for failure in changes.failures:
                if failure.identity is None or any(v is None for v in failure.identity.values()):
                    continue
                fid = feed_id(failure.identity, spec.identity)
                seen.add(fid)
                rows.append(
                    {
                        "feed_id": fid,
                        "source_entity_id": failure.source_id,
                        "modified_at": now,
                        "is_deleted": 0,
                        "status": int(Status.RETRYABLE),
                        "feed_data": orjson.dumps({**failure.identity, spec.source_key: failure.source_id}).decode(),
                        "feed_hash": None,
                        "source_hash": None,
                        "errors": failure.error,
                    }
                )
            vanished = [
                fid
                for fid, old in existing.items()
                if fid not in seen and not (old.is_deleted and old.status == Status.ACCEPTED)
            ]
            stored = self._stored_payloads(conn, vanished)
            for fid in vanished:
                old = existing[fid]
                tombstone = {
                    **orjson.loads(stored[fid]),
                    "modifiedAt": now.strftime("%Y-%m-%d %H:%M:%S"),
                    "deleted": True,
                }
                if not old.is_deleted:
                    rows.append(
                        {
                            "feed_id": fid,
                            "source_entity_id": int(tombstone.get(spec.source_key) or lo),
                            "modified_at": now,
                            "is_deleted": 1,
                            "status": int(Status.NEVER_SENT),
                            "feed_data": orjson.dumps(tombstone).decode(),
                            "feed_hash": feed_hash(tombstone, spec.hash_excludes),
                            "source_hash": None,
                            "errors": None,
                        }
                    )
                changes.tombstones += 1
                changes.to_send.append(PendingItem(fid, tombstone))
            # Existing tombstone rows keep their source_entity_id; an upsert never moves a row.
            _upsert(conn, table, rows)
            if refresh:  # unchanged items built from changed source rows: remember the new fingerprint
                conn.execute(
                    update(table).where(table.c.feed_id == bindparam("fid")).values(source_hash=bindparam("sh")),
                    refresh,
                )
        return changes

    def _stored_payloads(self, conn: Connection, feed_ids: list[str]) -> dict[str, str]:
        """``feed_data`` of the rows that become tombstones (read only for those few rows)."""
        payloads: dict[str, str] = {}
        for start in range(0, len(feed_ids), _IN_BATCH):
            batch = feed_ids[start : start + _IN_BATCH]
            query = select(self.table.c.feed_id, self.table.c.feed_data).where(self.table.c.feed_id.in_(batch))
            payloads.update((row.feed_id, row.feed_data) for row in conn.execute(query))
        return payloads

    def _row(self, item: Item, fid: str, digest: str, source_hash: str | None, now: datetime) -> dict[str, Any]:
        return {
            "feed_id": fid,
            "source_entity_id": int(item[self.spec.source_key]),
            "modified_at": now,
            "is_deleted": 0,
            "status": int(Status.NEVER_SENT),
            "feed_data": self._stored_payload(item).decode(),
            "feed_hash": digest,
            "source_hash": source_hash,
            "errors": None,
        }

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
        table = self.table
        for status, ids in plain.items():
            for start in range(0, len(ids), _IN_BATCH):
                conn.execute(
                    update(table)
                    .where(table.c.feed_id.in_(ids[start : start + _IN_BATCH]))
                    .values(status=status, errors=None)
                )
        if detailed:
            conn.execute(
                update(table)
                .where(table.c.feed_id == bindparam("fid"))
                .values(status=bindparam("st"), errors=bindparam("err"), metadata=bindparam("meta")),
                detailed,
            )

    def counts_by_status(self) -> dict[int, int]:
        with self.engine.connect() as conn:
            return {
                int(status): int(count)
                for status, count in conn.execute(
                    select(self.table.c.status, func.count()).group_by(self.table.c.status)
                )
            }
