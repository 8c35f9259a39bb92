"""``saas-export retry-failed``: send the failed items (status 2) again now, followed like a resync;
and the failures section of ``saas-export status``."""

from __future__ import annotations

import functools
import sys
import time
from typing import Any

import click
from rich.table import Table

from config import get_settings, is_embedded, resolve_tuning
from exporters.exceptions import FeedNotAvailable
from exporters.feeds import FEEDS, FeedSpec, get_feed
from exporters.model import RunStatus
from exporters.runs import FeedLocked, Run
from exporters.runs.retry import failures
from tasks.cli.maintenance import feed_engine
from tasks.cli.output import EXIT_FAILED, EXIT_LOCKED, console, error_line, one_line_errors, say, warn
from tasks.cli.resync import follow_run
from tasks.dispatch import check_broker
from tasks.embedded import embedded_worker
from tasks.progress import format_elapsed, summary_table
from tasks.schedule import start_retry_run


@click.command("retry-failed")
@click.option("--feed", "feed_name", default=None, help="Only this feed (default: every feed).")
def retry_failed(feed_name: str | None) -> None:
    """Send again the items that failed with a retryable error (status 2), one run per feed."""
    settings = get_settings()
    with one_line_errors():
        specs = [get_feed(feed_name)] if feed_name else list(FEEDS.values())
        check_broker(settings)
        embedded = is_embedded(settings)
        if embedded:
            with embedded_worker(max(resolve_tuning(settings, spec.name).thread_count for spec in specs)):
                outcomes = [_retry_one(spec, embedded=True) for spec in specs]
        else:
            outcomes = [_retry_one(spec, embedded=False) for spec in specs]
    runs = [run for run in outcomes if isinstance(run, Run)]
    if runs:
        console.print(summary_table(runs))
    elif all(outcome == "nothing" for outcome in outcomes):
        say("No failed items to retry.")
    if any(outcome is None for outcome in outcomes):
        sys.exit(EXIT_LOCKED)
    failed = [run for run in runs if run.status != RunStatus.SUCCEEDED]
    for run in failed:
        if run.error:
            warn(run.error)
        warn(f"run {run.run_id} {run.status}: see `saas-export runs show {run.run_id}`")
    if failed:
        sys.exit(EXIT_FAILED)


def _retry_one(spec: FeedSpec, *, embedded: bool) -> Run | str | None:
    """One feed's retry run followed to its end: the Run, "nothing" to retry, "skipped", or None when locked."""
    started = time.monotonic()
    try:
        planned = start_retry_run(spec, embedded=embedded)
    except FeedLocked as exc:
        error_line(str(exc))
        return None
    except FeedNotAvailable as exc:
        say(f"{spec.summary} skipped: {exc}")
        return "skipped"
    if planned is None:
        return "nothing"
    say(f"Retrying failed {spec.summary} feed items...")
    run = follow_run(planned.run_id, spec.summary, planned.chunks)
    say(f"{spec.summary} failed items retried in {format_elapsed(time.monotonic() - started)}")
    return run


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


def with_failures(command: click.Command) -> click.Command:
    """``status`` followed by the failures table (the status command stays where it is)."""
    callback = command.callback
    assert callback is not None

    @functools.wraps(callback)
    def both(*args: Any, **kwargs: Any) -> None:
        callback(*args, **kwargs)
        with one_line_errors():
            print_failures(kwargs.get("feed_name"))

    command.callback = both
    return command
