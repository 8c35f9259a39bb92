"""``saas-export status`` and ``saas-export runs show|watch|finalize|repair|cancel``."""

from __future__ import annotations

import sys

import click
from rich.table import Table
from rich.text import Text

from config import get_settings, is_embedded
from exporters.clock import DATETIME_FORMAT
from exporters.feeds import FEEDS, get_feed
from exporters.model import RunStatus
from exporters.runs import RunStore, finalize_run, sweep
from exporters.runs import lock as feed_lock
from exporters.runs.retry import failures
from tasks.cli.maintenance import feed_engine
from tasks.cli.output import EXIT_FAILED, EXIT_USAGE, console, fail, one_line_errors, print_run, say, warn
from tasks.cli.resync import follow_run
from tasks.embedded import embedded_worker
from tasks.progress import not_succeeded, summary_table
from tasks.runtime import migrate, runtime
from tasks.sending import CelerySender

MAX_LIMIT = 1000
#: Exit code of `runs watch` stopped by Ctrl-C (128 + SIGINT, as shells report it); the run goes on.
EXIT_INTERRUPTED = 130


@click.command()
@click.option("--feed", "feed_name", default=None, help="Only this feed's runs.")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=10, show_default=True)
def status(feed_name: str | None, limit: int) -> None:
    """Recent runs, newest first."""
    with one_line_errors():
        feed = get_feed(feed_name).name if feed_name else None
        runs = RunStore(feed_engine()).recent(feed, limit)
    table = Table(title="Runs")
    columns = ("run id", "feed", "data space", "status", "started (UTC)", "chunks", "sent", "unchanged", "tombstones",
               "failed")  # fmt: skip
    for column in columns:
        table.add_column(column)
    for run in runs:
        c = run.counts
        table.add_row(
            run.run_id,
            run.feed,
            run.data_space or "",
            run.status,
            f"{run.created_at:{DATETIME_FORMAT}}",
            str(run.chunks_total),
            f"{c.sent:,}",
            f"{c.unchanged:,}",
            f"{c.tombstones:,}",
            f"{c.failed:,}",
        )
    console.print(table)
    with one_line_errors():
        print_failures(feed_name)


@click.group()
def runs() -> None:
    """Inspect, repair or stop one run."""


@runs.command("show")
@click.argument("run_id")
def runs_show(run_id: str) -> None:
    """A run with its counts, chunks and failure report."""
    with one_line_errors():
        store = RunStore(feed_engine())
        run = store.run(run_id)
        chunks = store.chunks(run_id)
    print_run(run)
    table = Table(title="chunks")
    for column in ("seq", "ids", "status", "attempts", "built", "sent", "unchanged", "failed", "worker", "error"):
        table.add_column(column)
    for c in chunks:
        table.add_row(
            str(c.seq),
            f"{c.lo}..{c.hi}",
            c.status,
            str(c.attempts),
            str(c.counts.built),
            str(c.counts.sent),
            str(c.counts.unchanged),
            str(c.counts.failed),
            Text(c.worker or ""),
            Text(c.error or ""),
        )
    console.print(table)


@runs.command("watch")
@click.argument("run_id")
def runs_watch(run_id: str) -> None:
    """Follow a run started elsewhere (`resync --no-wait`, `celery call`, beat) as an attached resync does.

    The same progress bar, summary and exit code (0 succeeded, 1 otherwise); a run that already
    ended prints its summary at once. Ctrl-C stops watching, never the run.
    """
    try:
        with one_line_errors():
            run = RunStore(feed_engine()).run(run_id)
            if not run.status.final:
                say(f"watching run {run_id} ({run.feed}, {run.status}); Ctrl-C stops watching, not the run")
                run = follow_run(run_id, get_feed(run.feed).summary, run.chunks_total)
    except KeyboardInterrupt:
        say(
            f"stopped watching run {run_id}; the run goes on (`saas-export runs watch {run_id}` watches it "
            f"again, `saas-export runs cancel {run_id}` stops it)"
        )
        sys.exit(EXIT_INTERRUPTED)
    console.print(summary_table(run))
    for line in not_succeeded(run):
        warn(line)
    if run.status != RunStatus.SUCCEEDED:
        sys.exit(EXIT_FAILED)


@runs.command("finalize")
@click.argument("run_id")
@click.option("--force", is_flag=True, help="Also when chunks are still being worked on (they are recorded failed).")
def runs_finalize(run_id: str, force: bool) -> None:
    """Finalize a run whose finalize never came (idempotent; unfinished chunks are recorded failed)."""
    with one_line_errors():
        rt = runtime()
        migrate(rt)
        run = finalize_run(rt, run_id, by_hand=True, force=force)
        if run is None:
            fail(
                f"run {run_id} is being finalized by another process; see `saas-export runs show {run_id}`", EXIT_FAILED
            )
    print_run(run)
    if run.status != RunStatus.SUCCEEDED:
        sys.exit(EXIT_FAILED)


@runs.command("repair")
@click.argument("run_id", required=False)
def runs_repair(run_id: str | None) -> None:
    """Finish what was lost: send stopped lanes again, finalize finished runs, re-plan dead planners.

    With RUN_ID, that run now; without, every unfinished run whose lanes or leases went quiet
    (what the periodic sweeper does).
    """
    settings = get_settings()
    with one_line_errors():
        rt = runtime()
        migrate(rt)
        if is_embedded(settings):
            if run_id is None:
                fail("on the embedded default give the RUN_ID to repair (its chunks run in this process)", EXIT_USAGE)
            with embedded_worker(RunStore(rt.feed_engine).run(run_id).lanes):
                report = sweep(rt, CelerySender(), [run_id])
                _print_sweep(report.finalized, report.resent, report.replanned, report.waiting)
                run = RunStore(rt.feed_engine).run(run_id)
                if not run.status.final:
                    follow_run(run_id, run.feed, run.chunks_total)
            return
        report = sweep(rt, CelerySender(), [run_id] if run_id else None)
    _print_sweep(report.finalized, report.resent, report.replanned, report.waiting)


def _print_sweep(
    finalized: list[str], resent: dict[str, list[int]], replanned: list[str], waiting: dict[str, str]
) -> None:
    for run_id in replanned:
        say(f"run {run_id}: planned again")
    for run_id, seqs in resent.items():
        say(f"run {run_id}: sent chunk(s) {', '.join(map(str, seqs))} again")
    for run_id in finalized:
        say(f"run {run_id}: finalize sent")
    for run_id, why in waiting.items():
        say(f"run {run_id}: left alone, {why}")
    if not (finalized or resent or replanned or waiting):
        say("nothing to repair")


@runs.command("cancel")
@click.argument("run_id")
def runs_cancel(run_id: str) -> None:
    """Stop a run: its chunks do nothing more (one being sent stops before its next batch) and
    its feed is released."""
    with one_line_errors():
        store = RunStore(feed_engine())
        run = store.run(run_id)
        if run.status.final:
            fail(f"run {run_id} already ended ({run.status}); nothing to cancel", EXIT_USAGE)
        active = [RunStatus.PLANNING, RunStatus.EMBEDDED, RunStatus.RUNNING, RunStatus.FINALIZING]
        if not store.set_status(run_id, RunStatus.CANCELLED, "cancelled by hand", only_from=active):
            fail(f"run {run_id} ended meanwhile; see `saas-export runs show {run_id}`", EXIT_USAGE)
        with store.engine.begin() as conn:
            feed_lock.release(conn, run.feed, run_id)
    say(f"run {run_id} cancelled; feed {run.feed} released")


def print_failures(feed: str | None) -> None:
    """Feeds with items not accepted: retryable (sent again by ``retry-failed`` and every
    ``SAAS_EXPORT_RETRY_FAILED_INTERVAL``), rejected (sent again once they change), the latest error."""
    specs = [get_feed(feed)] if feed else list(FEEDS.values())
    found = failures(feed_engine(), get_settings().data_space_id, specs)
    if not found:
        say("Failed items: none")
        return
    table = Table(title="Failed items")
    for column in ("feed", "retryable (2)", "rejected (400, 1)", "latest error"):
        table.add_column(column)
    for row in found:
        table.add_row(row.feed, f"{row.retryable:,}", f"{row.rejected:,}", row.latest_error or "")
    console.print(table)
