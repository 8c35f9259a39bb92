"""Runs driven in this process, without a broker: plan, dispatch (by status), run each chunk."""

from __future__ import annotations

from typing import Any

from exporters.feeds import FeedSpec
from exporters.model import RunStatus
from exporters.runs import RunStore, Runtime, process_chunk, start_run


def planned_run(
    rt: Runtime, spec: FeedSpec, *, batch_size: int, thread_count: int = 1, options: dict[str, Any] | None = None
) -> tuple[str, int]:
    """A run planned and marked dispatched (its chunks may be claimed): its id and chunk count."""
    planned = start_run(rt, spec, batch_size=batch_size, thread_count=thread_count, options=options or {})
    RunStore(rt.feed_engine).set_status(planned.run_id, RunStatus.RUNNING)
    return planned.run_id, planned.chunks


def run_chunks(rt: Runtime, spec: FeedSpec, *, batch_size: int, options: dict[str, Any] | None = None) -> str:
    """Plan a run and process every chunk in order, as one lane would; the run id (not finalized)."""
    run_id, chunks = planned_run(rt, spec, batch_size=batch_size, options=options)
    for seq in range(chunks):
        process_chunk(rt, run_id, seq, "test")
    return run_id
