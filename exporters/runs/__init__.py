"""Runs of a feed: planning into chunks, claiming and executing a chunk, finalizing, the sweeper, the feed lock."""

from exporters.runs.exceptions import ClaimLost, FeedLocked, LiveChunks, MassDeleteRefused, RunNotFound
from exporters.runs.execute import (
    NextStep,
    claim_chunk,
    collect,
    describe_failure,
    execute_chunk,
    fail_chunk,
    finalize_run,
    next_step,
    process_chunk,
    release_chunk,
    take_back,
)
from exporters.runs.ranges import MAX_ID, plan_ranges
from exporters.runs.runtime import RunPolicy, Runtime
from exporters.runs.start import PlannedRun, abandon, check_source, start_run
from exporters.runs.store import Chunk, Claim, Claimed, ClaimRecord, Run, RunStore
from exporters.runs.sweeper import Sender, SweepReport, sweep

__all__ = [
    "MAX_ID",
    "Chunk",
    "Claim",
    "ClaimLost",
    "ClaimRecord",
    "Claimed",
    "FeedLocked",
    "LiveChunks",
    "MassDeleteRefused",
    "NextStep",
    "PlannedRun",
    "Run",
    "RunNotFound",
    "RunPolicy",
    "RunStore",
    "Runtime",
    "Sender",
    "SweepReport",
    "abandon",
    "check_source",
    "claim_chunk",
    "collect",
    "describe_failure",
    "execute_chunk",
    "fail_chunk",
    "finalize_run",
    "next_step",
    "plan_ranges",
    "process_chunk",
    "release_chunk",
    "start_run",
    "sweep",
    "take_back",
]
