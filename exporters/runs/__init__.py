"""Runs of a feed: planning into chunks, executing a chunk, finalizing, the feed lock."""

from exporters.runs.exceptions import FeedLocked, RunNotFound
from exporters.runs.execute import collect, fail_chunk, finalize_run, process_chunk
from exporters.runs.ranges import MAX_ID, plan_ranges
from exporters.runs.runtime import Runtime
from exporters.runs.start import PlannedRun, abandon, start_run
from exporters.runs.store import Chunk, Run, RunStore

__all__ = [
    "MAX_ID",
    "Chunk",
    "FeedLocked",
    "PlannedRun",
    "Run",
    "RunNotFound",
    "RunStore",
    "Runtime",
    "abandon",
    "collect",
    "fail_chunk",
    "finalize_run",
    "plan_ranges",
    "process_chunk",
    "start_run",
]
