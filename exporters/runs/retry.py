"""Failed items sent again, and accepted tombstones purged: the plain logic of two scheduled tasks.

A *retry run* is a run of kind ``retry`` (``options["kind"]``). It is planned only over the
source ids that hold retryable rows (status 2), cut into ranges of at most ``batch_size`` such
ids, and goes through the same path as a resync: the feed lock taken with the run row, one
claimed and leased chunk per range, lanes, the sweeper, finalize with the mass-delete guard.
Its chunks are never forced (a legacy feed's retry does not resend the feed), so change
detection decides as always: retryable and never-sent items are sent, items rejected by the
target (400, or 1 inside an accepted batch) and unchanged ones are not, until their hash
changes (docs/reliability.md#failed-items).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, select

from exporters import clock
from exporters.feeds import FeedSpec
from exporters.feedtable import FeedStore
from exporters.feedtable.migrate import feed_db_faults
from exporters.feedtable.tables import feed_table
from exporters.model import RunStatus, Status
from exporters.runs.ranges import PAGE, read_ids
from exporters.runs.runtime import Runtime
from exporters.runs.start import PlannedRun, abandon, create_run
from exporters.runs.store import Run, RunStore

#: ``options["kind"]`` of a retry run.
RETRY = "retry"


def is_retry(run: Run) -> bool:
    return run.options.get("kind") == RETRY


def retryable_ids(conn: Connection, table: Table, data_space: str, page: int = PAGE) -> Iterator[int]:
    """Distinct source ids of the rows with retryable status in ``data_space``, ascending, by pages."""
    mine = (table.c.data_space == data_space, table.c.status == int(Status.RETRYABLE))
    return read_ids(conn, table.c.source_entity_id, page, where=mine)


def tight_ranges(ids: Iterator[int], batch_size: int) -> Iterator[tuple[int, int]]:
    """``(first, last)`` of each run of ``batch_size`` ascending ids: a chunk builds no more than it must."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    group: list[int] = []
    for value in ids:
        group.append(value)
        if len(group) == batch_size:
            yield group[0], group[-1]
            group = []
    if group:
        yield group[0], group[-1]


def retryable_count(rt: Runtime, spec: FeedSpec) -> int:
    """How many rows of the feed wait to be sent again (status 2) in the runtime's data space."""
    table = feed_table(spec.table)
    query = select(func.count()).where(table.c.data_space == rt.data_space, table.c.status == int(Status.RETRYABLE))
    with feed_db_faults(rt.feed_engine), rt.feed_engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def start_retry(rt: Runtime, spec: FeedSpec, *, batch_size: int, thread_count: int) -> PlannedRun | None:
    """Lock the feed with a retry run and plan its chunks; None (no run row) when nothing is retryable.

    Raises ``FeedLocked`` when a run holds the feed: a retry never waits behind a resync.
    """
    if retryable_count(rt, spec) == 0:
        return None
    source = rt.source_for("<planning>")
    source.check(spec.reads)
    store = RunStore(rt.feed_engine)
    options: dict[str, Any] = {"kind": RETRY}
    with feed_db_faults(rt.feed_engine):
        run_id = create_run(store, rt, spec, batch_size, thread_count, options, RunStatus.PLANNING)
    try:
        feed = FeedStore(rt.feed_engine, spec, data_space=rt.data_space)
        with feed_db_faults(rt.feed_engine), rt.feed_engine.connect() as conn:
            store.set_accepted_before(run_id, feed.accepted_count())
            total = store.add_chunks(run_id, tight_ranges(retryable_ids(conn, feed.table, rt.data_space), batch_size))
    except BaseException as exc:
        abandon(rt, spec.name, run_id, f"planning failed: {exc}")
        raise
    return PlannedRun(run_id, spec, total)


@dataclass(frozen=True)
class Purged:
    feed: str
    rows: int


def purge_cutoff(max_age_days: float, at: datetime | None = None) -> datetime:
    return (at or clock.now()) - timedelta(days=max_age_days)


def purge_tombstones(rt: Runtime, specs: list[FeedSpec], max_age_days: float) -> list[Purged]:
    """Delete accepted tombstones made more than ``max_age_days`` ago, in every data space.

    Only rows that are deleted *and* accepted (200) go: a tombstone the target has not accepted
    yet is still sent by every run. The age is the tombstone's ``modified_at`` (when the entity
    was found gone); it was accepted at or after that moment. Removing such a row needs no lock:
    it is what change detection ignores anyway; an entity that comes back later is sent as new.
    """
    cutoff = purge_cutoff(max_age_days)
    purged = []
    with feed_db_faults(rt.feed_engine):
        for spec in specs:
            table = feed_table(spec.table)
            with rt.feed_engine.begin() as conn:
                result = conn.execute(
                    delete(table).where(
                        table.c.is_deleted == 1,
                        table.c.status == int(Status.ACCEPTED),
                        table.c.modified_at < cutoff,
                    )
                )
            purged.append(Purged(spec.name, int(result.rowcount or 0)))
    return purged


@dataclass(frozen=True)
class FeedFailures:
    """A feed's rows that are not accepted, by status, and the newest error text among them."""

    feed: str
    retryable: int
    rejected: int
    latest_error: str | None


def failures(engine: Engine, data_space: str, specs: list[FeedSpec]) -> list[FeedFailures]:
    """Per feed (in ``data_space``): retryable rows (2), rejected rows (400 and 1), and
    the error of the most recently modified failed row."""
    found = []
    failed = (int(Status.RETRYABLE), int(Status.REJECTED), int(Status.ITEM_REJECTED))
    with feed_db_faults(engine), engine.connect() as conn:
        for spec in specs:
            table = feed_table(spec.table)
            mine = (table.c.data_space == data_space, table.c.status.in_(failed))
            counts = {
                int(status): int(count)
                for status, count in conn.execute(
                    select(table.c.status, func.count()).where(*mine).group_by(table.c.status)
                )
            }
            if not counts:
                continue
            latest = conn.execute(
                select(table.c.errors)
                .where(*mine, table.c.errors.is_not(None))
                .order_by(table.c.modified_at.desc(), table.c.id.desc())
                .limit(1)
            ).scalar()
            found.append(
                FeedFailures(
                    spec.name,
                    counts.get(int(Status.RETRYABLE), 0),
                    counts.get(int(Status.REJECTED), 0) + counts.get(int(Status.ITEM_REJECTED), 0),
                    None if latest is None else str(latest),
                )
            )
    return found
