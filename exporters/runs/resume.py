"""``--continue-resync``: resume the latest unfinished run of a feed (docs/resync-options.md).

The run is the newest of the feed in this data space that is not a retry run (``options.kind``)
nor a dry run, and that is either not final (its processes died) or ended failed with chunks
not done. Chunks recorded done are kept as they are (never run again); every other chunk is made
pending again with its attempts reset; the run takes the feed lock back and is dispatched through
the usual claims, leases, lanes and sweeper. Done chunks are handed on again, so each lane walks
past them to its unfinished chunks (a done chunk's claim answers "final" and does nothing).

Items of done chunks that changed since the interruption are not sent by the resumed run: their
feed rows keep the old hash, so the next ordinary resync sends them.
"""

from __future__ import annotations

import os
from datetime import timedelta

from sqlalchemy import and_, delete, insert, select, update

from exporters.clock import now
from exporters.exceptions import TerminalError
from exporters.feeds import FeedSpec
from exporters.feedtable.migrate import feed_db_faults
from exporters.model import ChunkStatus, RunStatus
from exporters.runs import lock
from exporters.runs.runtime import Runtime
from exporters.runs.start import PlannedRun
from exporters.runs.store import Run, RunStore
from exporters.runs.tables import chunks, locks, runs


class NothingToContinue(TerminalError):
    def __init__(self, feed: str, latest: Run | None) -> None:
        seen = (
            f"its latest run {latest.run_id} is {latest.status} with every chunk done"
            if latest is not None
            else "it has no run yet"
        )
        super().__init__(
            f"--continue-resync found no unfinished run of {feed} ({seen}): start a new one without --continue-resync"
        )


class StillRunning(TerminalError):
    def __init__(self, run_id: str, seqs: list[int]) -> None:
        super().__init__(
            f"run {run_id} is still being worked on (chunk(s) {', '.join(map(str, seqs[:10]))} hold live leases): "
            f"watch it with `saas-export runs watch {run_id}` instead of continuing it"
        )


def unfinished_run(rt: Runtime, spec: FeedSpec) -> Run:
    """The run ``--continue-resync`` resumes; ``NothingToContinue`` when there is none."""
    store = RunStore(rt.feed_engine)
    with feed_db_faults(rt.feed_engine), rt.feed_engine.connect() as conn:
        rows = (
            conn.execute(
                select(runs.c.run_id)
                .where(runs.c.feed == spec.name, runs.c.data_space == rt.data_space)
                .order_by(runs.c.created_at.desc())
                .limit(50)
            )
            .scalars()
            .all()
        )
    latest: Run | None = None
    for run_id in rows:
        run = store.run(run_id)
        if run.options.get("kind") == "retry" or run.options.get("dry_run"):
            continue
        latest = run
        break
    if latest is None:
        raise NothingToContinue(spec.name, None)
    if not latest.status.final:
        return latest
    if latest.status == RunStatus.FAILED and any(c.status != ChunkStatus.DONE for c in store.chunks(latest.run_id)):
        return latest
    raise NothingToContinue(spec.name, latest)


def continue_run(rt: Runtime, spec: FeedSpec, *, embedded: bool) -> PlannedRun:
    """Take the feed back for the unfinished run and make its unfinished chunks pending again
    (the caller dispatches it)."""
    run = unfinished_run(rt, spec)
    store = RunStore(rt.feed_engine)
    at = now()
    live = [c.seq for c in store.chunks(run.run_id) if c.live(at)]
    if live:
        raise StillRunning(run.run_id, live)
    until = at + timedelta(seconds=rt.policy.run_lease)
    with feed_db_faults(rt.feed_engine):
        holder = lock.holder(rt.feed_engine, spec.name)
        if holder not in (None, run.run_id) and not lock.clear_if_stale(rt.feed_engine, spec.name):
            lock.raise_locked(rt.feed_engine, spec.name)
        with rt.feed_engine.begin() as conn:
            conn.execute(delete(locks).where(locks.c.feed == spec.name, locks.c.run_id == run.run_id))
            conn.execute(
                insert(locks).values(
                    feed=spec.name, run_id=run.run_id, host=rt.node, pid=os.getpid(), acquired_at=at, lease_until=until
                )
            )
            mine = chunks.c.run_id == run.run_id
            conn.execute(
                update(chunks)
                .where(and_(mine, chunks.c.status != ChunkStatus.DONE))
                .values(
                    status=ChunkStatus.PENDING,
                    attempts=0,
                    token=None,
                    lease_until=None,
                    error=None,
                    handed_on_at=None,
                    dispatched_at=None,
                    finished_at=None,
                )
            )
            conn.execute(
                update(chunks).where(and_(mine, chunks.c.status == ChunkStatus.DONE)).values(handed_on_at=None)
            )
            conn.execute(
                update(runs)
                .where(runs.c.run_id == run.run_id)
                .values(
                    status=RunStatus.EMBEDDED if embedded else RunStatus.RUNNING,
                    finished_at=None,
                    error=None,
                    report=None,
                    finalize_sent_at=None,
                    finalizer=None,
                    lease_until=until,
                    dispatched_at=at,
                )
            )
    return PlannedRun(run.run_id, spec, run.chunks_total)
