"""Claims and leases on chunk rows: one execution at a time, results only from the current claim,
a lane carried on and a finalize sent exactly once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from exporters.clock import now
from exporters.feeds import PRODUCTS
from exporters.model import ChunkStatus, Counts, RunStatus
from exporters.runs import Claimed, RunStore, Runtime, claim_chunk, execute_chunk, next_step, process_chunk
from exporters.runs.tables import chunks
from tests.support.runs import planned_run


def expire(rt: Runtime, run_id: str, seq: int) -> None:
    """As if the chunk's holder stopped renewing its lease a minute ago."""
    with rt.feed_engine.begin() as conn:
        conn.execute(
            update(chunks)
            .where(chunks.c.run_id == run_id, chunks.c.seq == seq)
            .values(lease_until=now() - timedelta(minutes=1))
        )


def test_a_claimed_chunk_is_busy_for_anyone_else_until_its_lease_runs_out(runtime: Runtime) -> None:
    # Given a dispatched run whose chunk 0 was claimed by worker a
    run_id, _ = planned_run(runtime, PRODUCTS, batch_size=2)
    first = claim_chunk(runtime, run_id, 0, "a")
    assert first.result is Claimed.CLAIMED and first.chunk is not None and first.chunk.attempts == 1
    # When worker b tries to claim it, then it is busy, for about the lease's length
    second = claim_chunk(runtime, run_id, 0, "b")
    assert second.result is Claimed.BUSY
    assert 0 < second.retry_in <= runtime.policy.chunk_lease
    # When a's lease runs out, then b takes it over with a new token and a second attempt
    expire(runtime, run_id, 0)
    third = claim_chunk(runtime, run_id, 0, "b")
    assert third.result is Claimed.CLAIMED and third.token != first.token
    assert third.chunk is not None and (third.chunk.attempts, third.chunk.worker) == (2, "b")


def test_only_the_current_claim_records_a_result(runtime: Runtime) -> None:
    # Given chunk 0 claimed by a, then taken over by b after a's lease ran out
    run_id, _ = planned_run(runtime, PRODUCTS, batch_size=2)
    stale = claim_chunk(runtime, run_id, 0, "a")
    expire(runtime, run_id, 0)
    current = claim_chunk(runtime, run_id, 0, "b")
    store = RunStore(runtime.feed_engine)
    # When a tries to write its result, then nothing is written
    with runtime.feed_engine.begin() as conn:
        assert not store.finish_chunk(conn, run_id, 0, ChunkStatus.DONE, Counts(built=9), token=stale.token)
    assert store.chunk(run_id, 0).status == ChunkStatus.RUNNING
    # When b runs it, then its result stands
    counts = execute_chunk(runtime, current)
    assert (counts.built, counts.sent) == (2, 2)
    assert (store.chunk(run_id, 0).status, store.chunk(run_id, 0).counts) == (ChunkStatus.DONE, counts)
    # and the claim log shows a's claim never ended and b's ended done, after a's
    claims = store.claims(run_id)
    assert [(c.worker, c.attempt, c.outcome) for c in claims] == [("a", 1, None), ("b", 2, "done")]


def test_a_finished_chunk_is_never_claimed_again(runtime: Runtime) -> None:
    run_id, _ = planned_run(runtime, PRODUCTS, batch_size=2)
    process_chunk(runtime, run_id, 0, "a")
    again = claim_chunk(runtime, run_id, 0, "b")
    assert again.result is Claimed.FINAL and again.chunk is not None and again.chunk.attempts == 1


def test_a_chunk_whose_claims_never_recorded_is_failed_after_the_last_attempt(runtime: Runtime) -> None:
    # Given a chunk claimed as often as the policy allows, each holder lost without a trace
    run_id, _ = planned_run(runtime, PRODUCTS, batch_size=2)
    for attempt in range(runtime.policy.max_attempts):
        assert claim_chunk(runtime, run_id, 0, f"w{attempt}").result is Claimed.CLAIMED
        expire(runtime, run_id, 0)
    # When it is claimed once more, then it is recorded failed, saying why, and is final
    last = claim_chunk(runtime, run_id, 0, "late")
    assert last.result is Claimed.FINAL and last.chunk is not None
    assert last.chunk.status == ChunkStatus.FAILED
    assert last.chunk.error == (
        f"gave up after {runtime.policy.max_attempts} attempt(s) that never recorded a result "
        "(worker lost, or killed at the hard time limit)"
    )


def test_chunks_of_a_run_that_is_not_dispatched_do_nothing(runtime: Runtime) -> None:
    # Given a run cancelled before its chunks ran
    run_id, _ = planned_run(runtime, PRODUCTS, batch_size=2)
    RunStore(runtime.feed_engine).set_status(run_id, RunStatus.CANCELLED)
    # Then a chunk task finds it stopped and claims nothing
    assert claim_chunk(runtime, run_id, 0, "a").result is Claimed.STOPPED
    assert RunStore(runtime.feed_engine).chunk(run_id, 0).attempts == 0


def test_a_lane_is_carried_on_and_the_run_finalized_exactly_once(runtime: Runtime) -> None:
    # Given a run of three chunks in two lanes (chunks 0 and 2 in lane 0, 1 in lane 1)
    run_id, total = planned_run(runtime, PRODUCTS, batch_size=2, thread_count=2)
    assert total == 3
    process_chunk(runtime, run_id, 0, "a")
    # When chunk 0 is done, then its lane goes on to chunk 2, once, whoever asks twice
    assert (next_step(runtime, run_id, 0).chunk, next_step(runtime, run_id, 0).chunk) == (2, None)
    # When chunks 1 and 2 are done, then only the last one sends the finalize, once
    process_chunk(runtime, run_id, 1, "b")
    assert next_step(runtime, run_id, 1).finalize is False
    process_chunk(runtime, run_id, 2, "a")
    step = next_step(runtime, run_id, 2)
    assert (step.chunk, step.finalize) == (None, True)
    assert next_step(runtime, run_id, 2).finalize is False


def test_a_runtime_never_shows_a_password() -> None:
    rt = Runtime.create("mysql://shop:s3cret@db/magento", "sqlite:///var/f.sqlite", "null://", "default")
    assert repr(rt) == "Runtime(source=mysql://shop:***@db/magento, feed=sqlite:///var/f.sqlite, target=null://)"
