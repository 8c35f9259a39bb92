"""``saas-export retry-failed``: send the failed items (status 2) again now, followed like a resync;
and the failures section of ``saas-export status``."""

from __future__ import annotations

import time

import click

from config import get_settings, is_embedded, resolve_tuning
from exporters.exceptions import FeedNotAvailable
from exporters.feeds import FEEDS, FeedSpec, get_feed
from exporters.runs import FeedLocked, Run
from tasks.cli.output import console, error_line, one_line_errors, say
from tasks.cli.resync import exit_for, follow_run
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
    exit_for(outcomes, runs)


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
