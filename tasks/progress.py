"""Following a run from its rows: the progress bar and the closing summary."""

from __future__ import annotations

import time
from datetime import timedelta

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from exporters.exceptions import TransientError
from exporters.runs import Run, RunStore

#: How long all chunks may sit finished before we say the finalize callback is lost.
CALLBACK_GRACE = 120.0


class CallbackLost(TransientError):
    def __init__(self, run_id: str) -> None:
        super().__init__(
            f"every chunk of run {run_id} finished but the finalize callback has not run. "
            f"Finalize it by hand: saas-export runs finalize {run_id}"
        )


def format_elapsed(seconds: float) -> str:
    """``HH:MM:SS``, or ``N day(s) HH:MM:SS``, as ``saas:resync`` prints it."""
    delta = timedelta(seconds=int(seconds))
    hours, rest = divmod(delta.seconds, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{delta.days} day(s) {clock}" if delta.days else clock


def follow(store: RunStore, run_id: str, summary: str, total: int, console: Console, poll: float = 0.3) -> Run:
    """Show chunks done/total, items submitted and failed, elapsed and ETA until the run closes."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("Submitted: {task.fields[sent]:,} Failed: {task.fields[failed]:,}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    all_done_since: float | None = None
    with Progress(*columns, console=console) as progress:
        bar = progress.add_task(summary, total=max(total, 1), sent=0, failed=0)
        while True:
            done, counts = store.progress(run_id)
            progress.update(bar, completed=done if total else 1, sent=counts.sent, failed=counts.failed)
            run = store.run(run_id)
            if run.status.final:
                progress.update(bar, completed=max(total, 1), sent=run.counts.sent, failed=run.counts.failed)
                return run
            if done >= total:
                all_done_since = all_done_since or time.monotonic()
                if time.monotonic() - all_done_since > CALLBACK_GRACE:
                    raise CallbackLost(run_id)
            time.sleep(poll)


def summary_table(runs: Run | list[Run]) -> Table:
    """One row per run: what each feed built, sent, left unchanged, tombstoned and failed."""
    runs = runs if isinstance(runs, list) else [runs]
    title = f"{runs[0].feed} run {runs[0].run_id}" if len(runs) == 1 else "Initial sync"
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
