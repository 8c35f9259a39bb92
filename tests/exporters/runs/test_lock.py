"""One run per feed; a lock whose holder is gone is taken over."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import select, update

from exporters.feeds import PRODUCTS
from exporters.model import RunStatus
from exporters.runs import FeedLocked, RunStore, Runtime, finalize_run, process_chunk, start_run
from exporters.runs import lock as feed_lock
from exporters.runs.tables import locks, runs


def plan(rt: Runtime, status: RunStatus = RunStatus.RUNNING) -> str:
    """Start a products run and give it ``status``; its run id."""
    planned = start_run(rt, PRODUCTS, batch_size=2, thread_count=1, options={})
    RunStore(rt.feed_engine).set_status(planned.run_id, status)
    return planned.run_id


def test_a_second_run_is_refused_naming_the_holder(runtime: Runtime) -> None:
    # Given a running products run
    holder = plan(runtime)
    # When another starts, then it is refused, naming the holder and how to free the feed
    with pytest.raises(FeedLocked) as refused:
        plan(runtime)
    assert f"feed 'products' is held by run {holder} (host {feed_lock.this_host()}, pid " in str(refused.value)
    assert f"`saas-export runs finalize {holder}`" in str(refused.value)
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


def test_an_embedded_run_whose_process_died_is_taken_over(runtime: Runtime) -> None:
    # Given an embedded run whose planning process (a pid that has exited) holds the lock
    stale = plan(runtime, status=RunStatus.EMBEDDED)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    with runtime.feed_engine.begin() as conn:
        conn.execute(update(locks).where(locks.c.run_id == stale).values(pid=int(dead.stdout)))
    # When another run starts
    taker = plan(runtime)
    # Then it holds the feed
    assert feed_lock.holder(runtime.feed_engine, "products") == taker != stale


def test_a_cluster_run_keeps_its_lock_even_if_its_planner_exited(runtime: Runtime) -> None:
    # Given a dispatched run (status running) whose planning process has exited
    holder = plan(runtime, status=RunStatus.RUNNING)
    with runtime.feed_engine.begin() as conn:
        conn.execute(update(locks).where(locks.c.run_id == holder).values(pid=2**22 + 7))
    # Then the feed stays locked: its chunks may still be running on workers
    with pytest.raises(FeedLocked):
        plan(runtime)
