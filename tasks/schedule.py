"""The periodic tasks celery beat sends (``config.celery.beat_schedule``, docs/cluster.md#schedules):
failed items sent again, old accepted tombstones purged, and each feed's scheduled full resync.

A scheduled resync or retry that finds its feed locked is skipped with one log line: it never
waits behind the run holding the feed, the next tick tries again.
"""

from __future__ import annotations

import logging
from typing import Any

from config import resolve_tuning
from exporters.exceptions import ExportError, FeedNotAvailable, UnknownFeed
from exporters.feeds import FEEDS, FeedSpec, get_feed
from exporters.runs import FeedLocked, PlannedRun
from exporters.runs.retry import purge_tombstones as purge_rows
from exporters.runs.retry import start_retry
from exporters.runs.submit import is_legacy, scheduled_submit
from tasks.app import app
from tasks.dispatch import launch, start
from tasks.runtime import migrate, runtime, settings

log = logging.getLogger(__name__)


def skipped_line(kind: str, exc: FeedLocked | FeedNotAvailable) -> str:
    return f"{kind} skipped: {exc}"


def start_retry_run(spec: FeedSpec, *, embedded: bool = False) -> PlannedRun | None:
    """Plan and dispatch a retry run of ``spec``; None when it has no retryable rows.

    Raises ``FeedLocked`` when a run holds the feed.
    """
    rt = runtime()
    migrate(rt)
    tuning = resolve_tuning(settings(), spec.name)
    planned = start_retry(rt, spec, batch_size=tuning.batch_size, thread_count=tuning.thread_count)
    if planned is None:
        return None
    return launch(rt, spec, planned, tuning.thread_count, embedded=embedded)


@app.task(name="tasks.retry_failed", ignore_result=False)
def retry_failed(feed: str | None = None) -> dict[str, Any]:
    """Send again the retryable items (status 2) of every feed, or of ``feed``: one retry run per
    feed that has some; a locked feed is skipped with one log line."""
    specs = [get_feed(feed)] if feed else list(FEEDS.values())
    started: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for spec in specs:
        try:
            planned = start_retry_run(spec)
        except (FeedLocked, FeedNotAvailable) as exc:
            line = skipped_line(f"retry of failed {spec.name} items", exc)
            log.warning("%s", line)
            skipped[spec.name] = line
            continue
        except ExportError as exc:  # this feed's source or target is broken: the other feeds still go
            line = f"retry of failed {spec.name} items failed: {exc}"
            log.error("%s", line)
            skipped[spec.name] = line
            continue
        if planned is not None:
            log.info("retry run %s of %s: %s chunk(s)", planned.run_id, spec.name, planned.chunks)
            started[spec.name] = planned.run_id
    return {"started": started, "skipped": skipped}


@app.task(name="tasks.purge_tombstones", ignore_result=False)
def purge_tombstones(max_age_days: float | None = None) -> dict[str, int]:
    """Remove the tombstones accepted more than ``SAAS_EXPORT_TOMBSTONE_MAX_AGE_DAYS`` ago."""
    rt = runtime()
    migrate(rt)
    age = settings().tombstone_max_age_days if max_age_days is None else max_age_days
    purged = {p.feed: p.rows for p in purge_rows(rt, list(FEEDS.values()), age)}
    log.info("purged accepted tombstones older than %g day(s): %s", age, purged)
    return purged


@app.task(name="tasks.scheduled_resync", ignore_result=False)
def scheduled_resync(feed: str) -> dict[str, Any]:
    """A feed's full resync on its cron expression (``SAAS_EXPORT_SCHEDULE__<FEED>``); skipped with
    one log line when the feed is locked."""
    try:
        planned = start(feed)
    except UnknownFeed as exc:  # SAAS_EXPORT_SCHEDULE__<FEED> names no feed: say so on every tick
        log.error("scheduled resync of %s skipped: %s (fix SAAS_EXPORT_SCHEDULE__%s)", feed, exc, feed.upper())
        return {"feed": feed, "skipped": str(exc)}
    except (FeedLocked, FeedNotAvailable) as exc:
        line = skipped_line(f"scheduled resync of {feed}", exc)
        log.warning("%s", line)
        return {"feed": feed, "skipped": line}
    log.info("scheduled resync of %s: run %s, %s chunk(s)", feed, planned.run_id, planned.chunks)
    return {"feed": feed, "run_id": planned.run_id, "chunks": planned.chunks}


@app.task(name="tasks.submit_legacy", ignore_result=False)
def submit_legacy(feed: str | None = None) -> dict[str, Any]:
    """Send what each legacy feed (or ``feed``) collected since its last successful submit; a feed a
    run holds is skipped with one log line (docs/change-detection.md#two-modes)."""
    rt = runtime()
    migrate(rt)
    specs = [get_feed(feed)] if feed else [spec for spec in FEEDS.values() if is_legacy(spec)]
    submitted: dict[str, dict[str, int]] = {}
    skipped: dict[str, str] = {}
    for spec in specs:
        try:
            done = scheduled_submit(rt, spec)
        except FeedLocked as exc:
            skipped[spec.name] = skipped_line(f"submit of {spec.name}", exc)
            log.warning("%s", skipped[spec.name])
            continue
        except ExportError as exc:  # this feed's target or database is broken: the other feeds still go
            skipped[spec.name] = f"submit of {spec.name} failed: {exc}"
            log.error("%s", skipped[spec.name])
            continue
        submitted[spec.name] = {"sent": done.sent, "failed": done.failed, "batches": done.batches}
        if done.batches:
            log.info(
                "submit of %s: %d sent, %d failed in %d batch(es)", spec.name, done.sent, done.failed, done.batches
            )
    return {"submitted": submitted, "skipped": skipped}
