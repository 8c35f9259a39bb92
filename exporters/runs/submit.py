"""A legacy feed's submit step: send the rows its resyncs collected since the last successful submit.

A legacy feed (``FeedSpec.mode == "legacy"``: scopesWebsite, scopesCustomerGroup, orders) does
not send from its chunks. A resync *collects*: it builds, compares and writes the changed rows
(never sent, ``modified_at`` now) and, at finalize, marks the rows whose source vanished as
deleted (tombstone rows). The submit step then sends, in ``modified_at`` order and in the
target's batch size, the rows modified at or after the feed's watermark that still need sending
(never sent or retryable; a row that failed to build holds no item and waits for its rebuild).

After each batch the target took (no item left retryable) the rows' statuses and the new
watermark (the batch's last ``modified_at``) are committed together. A batch left retryable (the
target unreachable after its attempts) stops the submit and leaves the watermark where it was:
the next submit sends that batch again. The watermark is inclusive (rows keep whole seconds), so
a row written in the second a submit ended is not missed; rows already sent are skipped by
their status. It runs at the end of a legacy resync (finalize) and every five minutes
(``tasks.submit_legacy``), skipped while a run holds the feed (docs/change-detection.md#two-modes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select, update

from exporters import clock
from exporters.feeds import FeedSpec
from exporters.feedtable import FeedStore
from exporters.feedtable.migrate import feed_db_faults
from exporters.model import Counts, ErrorCode, PendingItem, SendResult, Status
from exporters.runs import lock
from exporters.runs.runtime import Runtime
from exporters.runs.tables import watermarks

log = logging.getLogger(__name__)

#: The statuses a submit sends: never sent (collected, or a fresh tombstone) and retryable.
SUBMIT_STATUSES = (int(Status.NEVER_SENT), int(Status.RETRYABLE))


def is_legacy(spec: FeedSpec) -> bool:
    return spec.mode == "legacy"


@dataclass
class Submitted:
    """What one submit did: items the target took, rejected and left retryable; batches sent."""

    feed: str
    sent: int = 0
    failed: int = 0
    tombstones: int = 0
    batches: int = 0
    #: The batch that was left retryable (the submit stopped there), if one was.
    stopped: str | None = None
    watermark: datetime | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> Counts:
        """As a run counts them: what the target took, and failed items (tombstones are sent too)."""
        return Counts(sent=self.sent, failed=self.failed)


def watermark(conn: Connection, feed: str, data_space: str) -> datetime | None:
    """The ``modified_at`` of the last row of the feed's last accepted batch in ``data_space``."""
    query = select(watermarks.c.submitted_until).where(watermarks.c.feed == feed, watermarks.c.data_space == data_space)
    value = conn.execute(query).scalar()
    return None if value is None else value


def set_watermark(conn: Connection, feed: str, data_space: str, until: datetime) -> None:
    """Record ``until`` as the feed's watermark in ``data_space`` (never moved backwards)."""
    at = clock.now()
    mine = (watermarks.c.feed == feed, watermarks.c.data_space == data_space)
    current = watermark(conn, feed, data_space)
    if current is None:
        conn.execute(
            insert(watermarks).values(feed=feed, data_space=data_space, submitted_until=until, submitted_at=at)
        )
    elif until >= current:
        conn.execute(update(watermarks).where(*mine).values(submitted_until=until, submitted_at=at))


def pending_rows(store: FeedStore[FeedSpec], since: datetime | None) -> list[tuple[str, datetime, int, str]]:
    """``(feed_id, modified_at, is_deleted, feed_data)`` of the rows to submit, oldest first."""
    t = store.table
    query = select(t.c.feed_id, t.c.modified_at, t.c.is_deleted, t.c.feed_data).where(
        t.c.data_space == store.data_space, t.c.status.in_(SUBMIT_STATUSES), t.c.feed_hash.is_not(None)
    )
    if since is not None:
        query = query.where(t.c.modified_at >= since)
    with store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query.order_by(t.c.modified_at, t.c.id))]


def submit(
    rt: Runtime, store: FeedStore[FeedSpec], key: str, after_batch: Callable[[], None] = lambda: None
) -> Submitted:
    """Send the feed's rows modified since its watermark, batch by batch, in batches named ``<key>-<n>``.

    The caller makes sure no run is collecting into the feed meanwhile (a run's finalize holds
    the feed; the scheduled submit skips a locked feed). ``after_batch`` runs after each batch
    is recorded (finalize renews its run's lease there).
    """
    spec = store.feed
    done = Submitted(spec.name)
    with feed_db_faults(rt.feed_engine):
        with rt.feed_engine.connect() as conn:
            done.watermark = watermark(conn, spec.name, store.data_space)
        rows = pending_rows(store, done.watermark)
        size = rt.target.batch_size(spec.name)
        for number, start in enumerate(range(0, len(rows), size)):
            batch = rows[start : start + size]
            items = [PendingItem(fid, orjson.loads(data)) for fid, _, _, data in batch]
            batch_key = f"{key}-{number:04d}"
            results = rt.target.send(spec.name, items, batch_key)
            done.batches += 1
            left = [r for r in results if r.status == Status.RETRYABLE]
            with rt.feed_engine.begin() as conn:
                store.record(results, conn)
                if not left:
                    done.watermark = batch[-1][1]
                    set_watermark(conn, spec.name, store.data_space, done.watermark)
            _count(done, results, {fid for fid, _, deleted, _ in batch if deleted})
            after_batch()
            if left:
                done.stopped = batch_key
                log.warning(
                    "submit of %s stopped at batch %s: %d item(s) left retryable (%s); the next submit sends it again",
                    spec.name, batch_key, len(left), left[0].error,
                )  # fmt: skip
                break
    return done


def _count(done: Submitted, results: list[SendResult], tombstones: set[str]) -> None:
    for result in results:
        if result.status == Status.ACCEPTED:
            done.sent += 1
            done.tombstones += result.feed_id in tombstones
        else:
            done.failed += 1
            done.errors.append(
                {
                    "code": ErrorCode.of_status(result.status),
                    "feedId": result.feed_id,
                    "status": result.status,
                    "error": result.error,
                }
            )


def scheduled_submit(rt: Runtime, spec: FeedSpec) -> Submitted:
    """The scheduled submit of one legacy feed.

    Raises ``FeedLocked`` while a run (not final, its lease alive) holds the feed: its finalize
    submits, and a submit never runs beside a resync collecting into the same rows.
    """
    with feed_db_faults(rt.feed_engine):
        if not lock.clear_if_stale(rt.feed_engine, spec.name):
            lock.raise_locked(rt.feed_engine, spec.name)
    return submit(rt, legacy_store(rt, spec), f"submit-{clock.now():%Y%m%d%H%M%S}")


def legacy_store(rt: Runtime, spec: FeedSpec) -> FeedStore[FeedSpec]:
    """A legacy feed's rows keep whole items (the submit sends them as stored)."""
    return FeedStore(rt.feed_engine, spec, data_space=rt.data_space, persist_full_payload=True)
