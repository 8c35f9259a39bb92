"""Following a run from its rows: the progress bar and the closing summary."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from datetime import timedelta

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from exporters.exceptions import TransientError
from exporters.model import RunStatus
from exporters.runs import Run, RunStore

#: Seconds without any sign of progress after which an attached CLI finalizes a run whose chunks
#: are all final (its finalize message was lost) instead of waiting for the sweeper.
FINALIZE_GRACE = 10.0
#: Polls between two reads of the run's last chunk activity.
_ACTIVITY_EVERY = 10


class RunStalled(TransientError):
    def __init__(self, run_id: str, seconds: float) -> None:
        super().__init__(
            f"run {run_id} has made no progress for {seconds:.0f} s: no worker is taking its chunks (are workers "
            "running on its queue?), or they are stuck. It goes on when workers come back; "
            f"`saas-export runs repair {run_id}` sends its stopped lanes again, `saas-export runs cancel {run_id}` "
            "stops it"
        )


def format_elapsed(seconds: float) -> str:
    """``HH:MM:SS``, or ``N day(s) HH:MM:SS``, as ``saas:resync`` prints it."""
    delta = timedelta(seconds=int(seconds))
    hours, rest = divmod(delta.seconds, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{delta.days} day(s) {clock}" if delta.days else clock


def follow(
    store: RunStore,
    run_id: str,
    summary: str,
    total: int,
    console: Console,
    *,
    stall_after: float,
    on_quiet: Callable[[], None] | None = None,
    poll: float = 0.3,
) -> Run:
    """Show chunks done/total, items submitted and failed, elapsed and ETA until the run closes.

    When nothing has moved for ``FINALIZE_GRACE`` seconds, ``on_quiet`` runs once (the CLI
    finalizes a run whose chunks are all final); after ``stall_after`` seconds ``RunStalled``
    says so instead of waiting forever.
    """
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("Submitted: {task.fields[sent]:,} Failed: {task.fields[failed]:,}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    seen: tuple[object, ...] | None = None
    activity: object = None
    quiet_since, nudged = time.monotonic(), False
    with Progress(*columns, console=console) as progress:
        bar = progress.add_task(summary, total=max(total, 1), sent=0, failed=0)
        for polls in itertools.count():
            done, counts = store.progress(run_id)
            run = store.run(run_id)
            if run.chunks_total != total:  # a run watched while it was still being planned
                total = run.chunks_total
                progress.update(bar, total=max(total, 1))
            progress.update(bar, completed=done if total else 1, sent=counts.sent, failed=counts.failed)
            if run.status.final:
                progress.update(bar, completed=max(total, 1), sent=run.counts.sent, failed=run.counts.failed)
                return run
            if polls % _ACTIVITY_EVERY == 0:
                activity = store.last_activity(run_id)
            marker = (done, counts.sent, run.status, activity)
            if marker != seen:
                seen, quiet_since, nudged = marker, time.monotonic(), False
            quiet = time.monotonic() - quiet_since
            if on_quiet is not None and not nudged and quiet > min(FINALIZE_GRACE, stall_after):
                nudged = True
                on_quiet()
            elif quiet > stall_after:
                raise RunStalled(run_id, stall_after)
            time.sleep(poll)
    raise AssertionError("unreachable")


def not_succeeded(run: Run) -> list[str]:
    """The lines (stderr) an attached CLI ends with for a run that did not succeed: none when it did."""
    if run.status == RunStatus.SUCCEEDED:
        return []
    see = f"run {run.run_id} {run.status}: see `saas-export runs show {run.run_id}`"
    return [run.error, see] if run.error else [see]


def summary_table(runs: Run | list[Run]) -> Table:
    """One row per run: what each feed built, sent, left unchanged, tombstoned and failed."""
    runs = runs if isinstance(runs, list) else [runs]
    title = f"{runs[0].feed} run {runs[0].run_id}" if len(runs) == 1 else "Initial sync"
    if any(run.options.get("dry_run") for run in runs):
        title = f"DRY RUN, nothing sent or written: {title} (sent = would be sent, tombstones = would be deleted)"
    table = Table(title=title)
    for column in ("feed", "status", "chunks", "built", "sent", "unchanged", "tombstones", "failed"):
        table.add_column(column, justify="left" if column in ("feed", "status") else "right")
    for run in runs:
        c = run.counts
        table.add_row(
            run.feed, run.status, f"{run.chunks_total:,}", f"{c.built:,}", f"{c.sent:,}", f"{c.unchanged:,}",
            f"{c.tombstones:,}", f"{c.failed:,}",
        )  # fmt: skip
    return table
