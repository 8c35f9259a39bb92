"""The sweeper: every run ends, whatever was lost on the way.

Run periodically by celery beat (and on demand by ``saas-export runs repair``), it looks at the
rows, never at the broker: a run whose chunks are all final but which is not finalized gets its
finalize sent again; a lane whose next chunk nobody holds and that has shown no activity for
``stall_after`` seconds (or whose chunk's claim lease ran out) gets that chunk sent again; a run
whose planner died is planned again or dispatched; a finalizer that died is replaced. Sending a
chunk twice is harmless: claims let only one execution run it (docs/reliability.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from exporters.clock import now
from exporters.feedtable.migrate import feed_db_faults
from exporters.model import RunStatus
from exporters.runs.runtime import Runtime
from exporters.runs.start import replan
from exporters.runs.store import Chunk, Run, RunStore

log = logging.getLogger(__name__)


class Sender(Protocol):
    """How the sweeper's decisions reach the workers (the Celery layer implements it)."""

    def chunk(self, run_id: str, seq: int) -> None: ...

    def finalize(self, run_id: str) -> None: ...


@dataclass
class SweepReport:
    finalized: list[str] = field(default_factory=list)
    #: run id -> the chunks sent again.
    resent: dict[str, list[int]] = field(default_factory=dict)
    replanned: list[str] = field(default_factory=list)
    #: Runs left alone for now, with why (still planning, finalizer alive, ...).
    waiting: dict[str, str] = field(default_factory=dict)

    @property
    def acted(self) -> bool:
        return bool(self.finalized or self.resent or self.replanned)


def _expired(until: datetime | None, at: datetime) -> bool:
    return until is None or until < at


def sweep(rt: Runtime, send: Sender, run_ids: Sequence[str] | None = None) -> SweepReport:
    """Repair the given runs now (``runs repair``), or, with no ids, every unfinished cluster run
    whose lease, lane or finalize has gone quiet for too long (the periodic sweep)."""
    runs = RunStore(rt.feed_engine)
    report = SweepReport()
    explicit = run_ids is not None
    with feed_db_faults(rt.feed_engine):
        if run_ids is not None:
            candidates = [runs.run(run_id) for run_id in run_ids]
        else:  # embedded runs live in their CLI process: only it can send their chunks
            candidates = runs.unfinished([RunStatus.PLANNING, RunStatus.RUNNING, RunStatus.FINALIZING])
        for run in candidates:
            _sweep_run(rt, runs, send, run, explicit, report)
    return report


def _sweep_run(rt: Runtime, runs: RunStore, send: Sender, run: Run, explicit: bool, report: SweepReport) -> None:
    at = now()
    if run.status.final:
        return
    if run.status in (RunStatus.PLANNING, RunStatus.FINALIZING) and not _expired(run.lease_until, at):
        report.waiting[run.run_id] = f"{run.status} (its lease runs until {run.lease_until:%H:%M:%S} UTC)"
        return
    if run.status == RunStatus.FINALIZING:
        send.finalize(run.run_id)
        report.finalized.append(run.run_id)
        return
    if run.status == RunStatus.PLANNING:
        if not run.chunks_total and not runs.chunks(run.run_id):
            replan(rt, run)
            report.replanned.append(run.run_id)
        runs.set_status(run.run_id, RunStatus.RUNNING, only_from=[RunStatus.PLANNING])
        run = runs.run(run.run_id)
        explicit = True  # nothing was ever sent for it
    chunks = runs.chunks(run.run_id)
    if all(chunk.final for chunk in chunks):
        quiet = run.dispatched_at is None or run.dispatched_at < at - timedelta(seconds=rt.policy.stall_after)
        if explicit or quiet or not chunks:
            send.finalize(run.run_id)
            report.finalized.append(run.run_id)
        return
    resent = sorted(chunk.seq for chunk in _stopped_lanes(run, chunks, at, rt.policy.stall_after, explicit))
    for seq in resent:
        send.chunk(run.run_id, seq)
    if resent:
        runs.mark_dispatched(run.run_id, resent)
        report.resent[run.run_id] = resent
        log.warning("run %s: sent chunk(s) %s again (their lanes had stopped)", run.run_id, resent)


def _stopped_lanes(run: Run, chunks: list[Chunk], at: datetime, stall_after: float, explicit: bool) -> list[Chunk]:
    """The next chunk of each lane that nobody is working on and that has gone quiet.

    A chunk whose claim lease ran out is sent again at once (its worker is gone); a pending one
    once its lane has shown no activity for ``stall_after`` seconds (its message may just be
    queued behind others), or at once when asked explicitly.
    """
    stopped = []
    quiet_since = at - timedelta(seconds=stall_after)
    for lane in range(run.lanes):
        mine = [c for c in chunks if c.seq % run.lanes == lane]
        waiting = [c for c in mine if not c.final]
        if not waiting or any(c.live(at) for c in waiting):
            continue
        head = waiting[0]
        moments = [run.dispatched_at] + [m for c in mine for m in (c.dispatched_at, c.started_at, c.finished_at)]
        last = max((m for m in moments if m is not None), default=None)
        if explicit or head.lease_until is not None or last is None or last < quiet_since:
            stopped.append(head)
    return stopped
