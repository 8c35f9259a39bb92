"""One run per feed; a lock is taken over only when its run ended or its lease ran out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from exporters.clock import now
from exporters.feeds import PRODUCTS
from exporters.model import RunStatus
from exporters.runs import FeedLocked, RunStore, Runtime, finalize_run, process_chunk
from exporters.runs import lock as feed_lock
from exporters.runs.tables import locks, runs
from tests.support.runs import planned_run


def plan(rt: Runtime) -> str:
    """Start a products run (dispatched); its run id."""
    return planned_run(rt, PRODUCTS, batch_size=2)[0]


def expire_lease(rt: Runtime, run_id: str) -> None:
    """As if nothing renewed the run's lease since a minute ago."""
    with rt.feed_engine.begin() as conn:
        conn.execute(update(locks).where(locks.c.run_id == run_id).values(lease_until=now() - timedelta(minutes=1)))


def test_a_second_run_is_refused_naming_the_holder(runtime: Runtime) -> None:
    # Given a running products run
    holder = plan(runtime)
    # When another starts, then it is refused, naming the holder, its lease and how to free the feed
    with pytest.raises(FeedLocked) as refused:
        plan(runtime)
    assert f"feed 'products' is held by run {holder} (host {runtime.node}, pid " in str(refused.value)
    assert "its lease runs until " in str(refused.value)
    assert f"`saas-export runs cancel {holder}`" in str(refused.value)
    # and it left no run row
    with runtime.feed_engine.connect() as conn:
        assert conn.execute(select(runs.c.run_id)).scalars().all() == [holder]


def test_a_finished_run_frees_the_feed(runtime: Runtime) -> None:
    # Given a run whose chunks were all processed and which was finalized
    first = plan(runtime)
    for chunk in RunStore(runtime.feed_engine).chunks(first):
        process_chunk(runtime, first, chunk.seq, "test")
    assert finalize_run(runtime, first) is not None
    # When another run starts, then it holds the feed
    second = plan(runtime)
    assert feed_lock.holder(runtime.feed_engine, "products") == second


def test_a_run_whose_lease_ran_out_is_taken_over_and_closed(runtime: Runtime) -> None:
    # Given a run that nothing renewed for longer than its lease (its planner and workers are gone)
    stale = plan(runtime)
    expire_lease(runtime, stale)
    # When another run starts
    taker = plan(runtime)
    # Then it holds the feed, and the stale run is closed as failed, saying why
    assert feed_lock.holder(runtime.feed_engine, "products") == taker != stale
    closed = RunStore(runtime.feed_engine).run(stale)
    assert closed.status == RunStatus.FAILED
    assert closed.error is not None and closed.error.startswith("its lease ran out at ")
    # and its chunks do nothing any more
    assert process_chunk(runtime, stale, 0, "late worker").built == 0
    assert RunStore(runtime.feed_engine).chunk(stale, 0).attempts == 0


def test_a_live_lease_keeps_the_lock_whatever_its_pid(runtime: Runtime) -> None:
    # Given a running run whose lock names a pid that does not exist on this host
    holder = plan(runtime)
    with runtime.feed_engine.begin() as conn:
        conn.execute(update(locks).where(locks.c.run_id == holder).values(pid=2**22 + 7))
    # Then the feed stays locked: no pid is probed, only the lease counts
    with pytest.raises(FeedLocked):
        plan(runtime)
