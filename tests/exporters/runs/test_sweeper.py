"""The sweeper's decisions, from the rows: what it sends again, finalizes or plans again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import update

from exporters.clock import now
from exporters.feeds import PRODUCTS
from exporters.model import RunStatus
from exporters.runs import RunStore, Runtime, claim_chunk, process_chunk, start_run, sweep
from exporters.runs.tables import chunks, runs
from tests.support.runs import planned_run


@dataclass
class Recorder:
    """Records what the sweeper would send (the Celery layer sends it for real)."""

    chunks: list[tuple[str, int]] = field(default_factory=list)
    finalized: list[str] = field(default_factory=list)

    def chunk(self, run_id: str, seq: int) -> None:
        self.chunks.append((run_id, seq))

    def finalize(self, run_id: str) -> None:
        self.finalized.append(run_id)


def age(rt: Runtime, run_id: str, minutes: int = 10) -> None:
    """As if the run was dispatched, and its lease renewed, ``minutes`` ago."""
    past = now() - timedelta(minutes=minutes)
    with rt.feed_engine.begin() as conn:
        conn.execute(update(runs).where(runs.c.run_id == run_id).values(dispatched_at=past, lease_until=past))


def test_a_run_whose_chunks_all_finished_gets_its_finalize_sent_once_quiet(runtime: Runtime) -> None:
    # Given a run whose three chunks ran but whose finalize never came
    run_id, total = planned_run(runtime, PRODUCTS, batch_size=2)
    for seq in range(total):
        process_chunk(runtime, run_id, seq, "w")
    # When the periodic sweep runs right away, then it waits (the finalize may be on its way)
    recorder = Recorder()
    assert sweep(runtime, recorder).finalized == [] and recorder.finalized == []
    # When the run has been quiet for longer than stall_after, then its finalize is sent
    age(runtime, run_id)
    assert sweep(runtime, recorder).finalized == [run_id]
    # and asked for that run explicitly, it is sent at once
    assert sweep(runtime, Recorder(), [run_id]).finalized == [run_id]


def test_a_stopped_lane_gets_its_next_chunk_sent_again(runtime: Runtime) -> None:
    # Given a run of two lanes where chunk 0 ran, and nothing else happened for a long time
    run_id, total = planned_run(runtime, PRODUCTS, batch_size=2, thread_count=2)
    assert total == 3
    process_chunk(runtime, run_id, 0, "w")
    past = now() - timedelta(minutes=10)
    with runtime.feed_engine.begin() as conn:
        conn.execute(update(chunks).where(chunks.c.run_id == run_id).values(started_at=past, finished_at=past))
    age(runtime, run_id)
    # When the sweep runs, then each lane's next chunk is sent: 2 (after 0) and 1
    recorder = Recorder()
    report = sweep(runtime, recorder)
    assert sorted(recorder.chunks) == [(run_id, 1), (run_id, 2)]
    assert sorted(report.resent[run_id]) == [1, 2]
    # and marked dispatched, so the next sweep waits again
    assert sweep(runtime, Recorder()).resent == {}


def test_a_lane_whose_chunk_is_held_live_is_left_alone_and_an_expired_one_is_sent_at_once(runtime: Runtime) -> None:
    # Given a one-lane run whose chunk 0 is claimed (live lease)
    run_id, _ = planned_run(runtime, PRODUCTS, batch_size=2)
    claim_chunk(runtime, run_id, 0, "w")
    age(runtime, run_id)
    # Then the sweep sends nothing
    recorder = Recorder()
    sweep(runtime, recorder)
    assert recorder.chunks == []
    # When the claim's lease runs out (its worker died), then chunk 0 is sent again at once
    with runtime.feed_engine.begin() as conn:
        conn.execute(update(chunks).where(chunks.c.run_id == run_id).values(lease_until=now() - timedelta(seconds=1)))
    sweep(runtime, recorder)
    assert recorder.chunks == [(run_id, 0)]


def test_a_run_whose_planner_died_is_planned_again_and_dispatched(runtime: Runtime) -> None:
    # Given a run left planning by a dead planner: its chunk rows were never written
    planned = start_run(runtime, PRODUCTS, batch_size=2, thread_count=2, options={})
    store = RunStore(runtime.feed_engine)
    with runtime.feed_engine.begin() as conn:
        conn.execute(chunks.delete().where(chunks.c.run_id == planned.run_id))
        conn.execute(update(runs).where(runs.c.run_id == planned.run_id).values(chunks_total=0))
    # When it is repaired while its lease is live, then it is left alone
    assert planned.run_id in sweep(runtime, Recorder(), [planned.run_id]).waiting
    # When its lease has run out, then it is planned again, dispatched, and its lanes started
    age(runtime, planned.run_id)
    recorder = Recorder()
    report = sweep(runtime, recorder, [planned.run_id])
    assert report.replanned == [planned.run_id]
    assert (store.run(planned.run_id).status, store.run(planned.run_id).chunks_total) == (RunStatus.RUNNING, 3)
    assert sorted(recorder.chunks) == [(planned.run_id, 0), (planned.run_id, 1)]


def test_a_finalizer_that_died_is_replaced(runtime: Runtime) -> None:
    run_id, total = planned_run(runtime, PRODUCTS, batch_size=2)
    RunStore(runtime.feed_engine).set_status(run_id, RunStatus.FINALIZING)
    age(runtime, run_id)
    recorder = Recorder()
    assert sweep(runtime, recorder).finalized == [run_id] == recorder.finalized
    assert total == 3


def test_embedded_runs_are_left_to_their_own_process(runtime: Runtime) -> None:
    run_id, _ = planned_run(runtime, PRODUCTS, batch_size=2)
    RunStore(runtime.feed_engine).set_status(run_id, RunStatus.EMBEDDED)
    age(runtime, run_id)
    recorder = Recorder()
    sweep(runtime, recorder)
    assert (recorder.chunks, recorder.finalized) == ([], [])
