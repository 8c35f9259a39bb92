"""Starting a run: check the source, lock the feed with the run row, plan one chunk row per range."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from exporters.exceptions import FeedNotAvailable
from exporters.feeds import FeedSpec, get_feed
from exporters.feedtable import FeedStore
from exporters.feedtable.migrate import feed_db_faults
from exporters.model import Counts, RunStatus
from exporters.runs import byids, lock
from exporters.runs.ranges import plan_ranges, read_ids
from exporters.runs.runtime import Runtime
from exporters.runs.store import Run, RunStore

#: The key the planner's source is cached under: its metadata is not reused by the run's chunks.
_PLANNING = "<planning>"


@dataclass(frozen=True)
class PlannedRun:
    run_id: str
    feed: FeedSpec
    chunks: int
    #: ``--by-ids``: the requested ids that match no product, in the order given.
    not_found: tuple[str, ...] = ()


def check_source(rt: Runtime, specs: list[FeedSpec]) -> None:
    """Fail with one line when the source is unreachable, not Magento, or lacks a table the feeds read.

    Adobe Commerce only feeds are left out of the table check: they are skipped, not failed,
    on an Open Source database.
    """
    rt.source_for(_PLANNING).check(t for spec in specs if spec.requires_table is None for t in spec.reads)


def start_run(
    rt: Runtime,
    spec: FeedSpec,
    *,
    batch_size: int,
    thread_count: int,
    options: dict[str, Any],
    status: RunStatus = RunStatus.PLANNING,
    by_ids: Sequence[str] = (),
) -> PlannedRun:
    """Check the source, take the feed lock with the run row, then plan the chunks.

    The source is checked first, so an unreachable or non-Magento database creates no run row;
    a refused lock leaves none either (run and lock rows share one transaction). ``by_ids``
    (with ``options["by_ids"]["type"]``) plans only the products they resolve to.
    """
    source = rt.source_for(_PLANNING)
    if spec.requires_table and not source.has_table(spec.requires_table):
        raise FeedNotAvailable(spec.name, spec.requires_table, source.url)
    source.check(spec.reads)
    store = RunStore(rt.feed_engine)
    with feed_db_faults(rt.feed_engine):
        run_id = create_run(store, rt, spec, batch_size, thread_count, options, status)
    try:
        if options.get("cleanup_feed") and not options.get("dry_run"):
            empty_feed(rt, spec)
        if by_ids:
            return plan_by_ids(rt, spec, run_id, batch_size, by_ids, str(options["by_ids"]["type"]))
        total = plan_chunks(rt, spec, run_id, batch_size)
    except BaseException as exc:
        abandon(rt, spec.name, run_id, f"planning failed: {exc}")
        raise
    return PlannedRun(run_id, spec, total)


def plan_by_ids(
    rt: Runtime, spec: FeedSpec, run_id: str, batch_size: int, ids: Sequence[str], id_type: str
) -> PlannedRun:
    """``--by-ids``: resolve the ids, store them, and plan tight ranges over them only."""
    from exporters.runs.retry import tight_ranges  # retry imports this module

    source = rt.source_for(_PLANNING)
    feed = FeedStore(rt.feed_engine, spec, data_space=rt.data_space)
    runs = RunStore(rt.feed_engine)
    with source.connect() as conn:
        resolved = byids.resolve(conn, spec, ids, id_type)
    with feed_db_faults(rt.feed_engine):
        runs.set_accepted_before(run_id, feed.accepted_count())
        byids.store_ids(rt.feed_engine, run_id, resolved.ids)
        total = runs.add_chunks(run_id, tight_ranges(iter(resolved.ids), batch_size))
    return PlannedRun(run_id, spec, total, tuple(resolved.unknown))


def empty_feed(rt: Runtime, spec: FeedSpec) -> int:
    """``--cleanup-feed``: delete the feed's rows in this data space (under the feed lock, before
    planning), so the run sends every item; the number of rows deleted."""
    store = FeedStore(rt.feed_engine, spec, data_space=rt.data_space)
    with feed_db_faults(rt.feed_engine), rt.feed_engine.begin() as conn:
        return int(conn.execute(delete(store.table).where(store.table.c.data_space == rt.data_space)).rowcount)


def plan_chunks(rt: Runtime, spec: FeedSpec, run_id: str, batch_size: int) -> int:
    """Write the run's chunk rows (all in one transaction, so a planner killed midway leaves none).

    The ranges cover the source's ids and the feed table's, so rows of vanished entities fall
    into chunks of ``batch_size`` ids like every other. The feed's accepted items are counted
    here, under the feed lock, for the mass-delete guard.
    """
    source = rt.source_for(_PLANNING)
    feed = FeedStore(rt.feed_engine, spec, data_space=rt.data_space)
    runs = RunStore(rt.feed_engine)
    with source.connect() as conn, feed_db_faults(rt.feed_engine), rt.feed_engine.connect() as feed_conn:
        runs.set_accepted_before(run_id, feed.accepted_count())
        ranges = plan_ranges(conn, spec.source_ids, batch_size, also=read_ids(feed_conn, feed.table.c.source_entity_id))
        return runs.add_chunks(run_id, ranges)


def replan(rt: Runtime, run: Run) -> int:
    """Plan again a run whose planner died before its chunk rows were written (``runs repair``)."""
    return plan_chunks(rt, get_feed(run.feed), run.run_id, run.batch_size)


def create_run(
    store: RunStore,
    rt: Runtime,
    spec: FeedSpec,
    batch_size: int,
    thread_count: int,
    options: dict[str, Any],
    status: RunStatus,
) -> str:
    """Insert run and lock rows; a stale lock is cleared once and the insert tried again."""
    for attempt in range(2):
        try:
            return store.create_run(
                spec.name,
                options,
                batch_size,
                thread_count,
                rt.node,
                os.getpid(),
                lease=rt.policy.run_lease,
                data_space=rt.data_space,
                status=status,
            )
        except IntegrityError:
            if attempt or not lock.clear_if_stale(rt.feed_engine, spec.name):
                lock.raise_locked(rt.feed_engine, spec.name)
    lock.raise_locked(rt.feed_engine, spec.name)


def abandon(rt: Runtime, feed: str, run_id: str, error: str) -> None:
    """Close a run that never got going and free its feed."""
    with rt.feed_engine.begin() as conn:
        RunStore(rt.feed_engine).close_run(conn, run_id, RunStatus.FAILED, Counts(), {"chunks": [], "items": []}, error)
        lock.release(conn, feed, run_id)
