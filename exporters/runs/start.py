"""Starting a run: lock the feed, write the run row and one chunk row per id range."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from exporters.exceptions import FeedNotAvailable
from exporters.feeds import FeedSpec
from exporters.model import Counts, RunStatus
from exporters.runs import lock
from exporters.runs.ranges import plan_ranges
from exporters.runs.runtime import Runtime
from exporters.runs.store import RunStore


@dataclass(frozen=True)
class PlannedRun:
    run_id: str
    feed: FeedSpec
    chunks: int


def start_run(
    rt: Runtime,
    spec: FeedSpec,
    *,
    batch_size: int,
    thread_count: int,
    options: dict[str, Any],
    status: RunStatus = RunStatus.PLANNING,
) -> PlannedRun:
    """Check the source, take the feed lock with the run row, then plan the chunks.

    The source is checked first, so an unreachable or non-Magento database creates no run row;
    a refused lock leaves none either (run and lock rows share one transaction).
    """
    source = rt.source_for("planning")  # metadata read here is not reused by the run's chunks
    source.check()
    if spec.requires_table and not source.has_table(spec.requires_table):
        raise FeedNotAvailable(spec.name, spec.requires_table, source.url)
    store = RunStore(rt.feed_engine)
    run_id = _create_run(store, rt, spec, batch_size, thread_count, options, status)
    try:
        with source.connect() as conn:
            total = store.add_chunks(run_id, plan_ranges(conn, spec.source_ids, batch_size))
    except BaseException as exc:
        abandon(rt, spec.name, run_id, f"planning failed: {exc}")
        raise
    return PlannedRun(run_id, spec, total)


def _create_run(
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
                spec.name, options, batch_size, thread_count, lock.this_host(), os.getpid(), status=status
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
