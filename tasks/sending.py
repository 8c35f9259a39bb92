"""Sending chunk and finalize messages: the one place tasks are published for a run."""

from __future__ import annotations

from exporters.runs import RunStore
from tasks.runtime import runtime


class CelerySender:
    """What the sweeper and a finished chunk send, as Celery messages (``exporters.runs.Sender``)."""

    def chunk(self, run_id: str, seq: int) -> None:
        from tasks.chunk import chunk  # the task modules import this one

        chunk.apply_async((run_id, seq))

    def finalize(self, run_id: str) -> None:
        from tasks.finalize import finalize

        finalize.apply_async((run_id,))

    def lane_heads(self, run_id: str, lanes: int, chunks: int) -> None:
        """The first chunk of each lane: every lane then carries itself on."""
        heads = list(range(min(lanes, chunks)))
        for seq in heads:
            self.chunk(run_id, seq)
        RunStore(runtime().feed_engine).mark_dispatched(run_id, heads)
