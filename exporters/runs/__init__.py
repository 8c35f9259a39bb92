"""Runs of a feed: planning into chunks, executing a chunk, finalizing, the feed lock."""

from exporters.runs.exceptions import FeedLocked, RunNotFound
from exporters.runs.execute import fail_chunk, finalize_run, process_chunk
from exporters.runs.lock import FINAL_STATUSES
from exporters.runs.planner import PlannedRun, abandon, start_run
from exporters.runs.planning import MAX_ID, plan_ranges
from exporters.runs.runtime import Runtime
from exporters.runs.store import Chunk, Counts, Run, RunStore

__all__ = [
    "FINAL_STATUSES",
    "MAX_ID",
    "Chunk",
    "Counts",
    "FeedLocked",
    "PlannedRun",
    "Run",
    "RunNotFound",
    "RunStore",
    "Runtime",
    "abandon",
    "fail_chunk",
    "finalize_run",
    "plan_ranges",
    "process_chunk",
    "start_run",
]
