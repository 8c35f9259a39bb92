"""``saas-export resync``: one feed or all, followed to the end with a progress bar and a summary."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import click

from config import get_settings, is_embedded, resolve_tuning
from exporters.db import redact
from exporters.exceptions import FeedNotAvailable
from exporters.feeds import FEEDS, FeedSpec, get_feed
from exporters.model import RunStatus
from exporters.runs import FeedLocked, Run, RunStore, check_source, finalize_run
from exporters.runs.byids import not_found_line
from exporters.runs.options import refusal
from exporters.runs.resume import NothingToContinue
from tasks.cli.output import EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE, console, error_line, fail, one_line_errors, say, warn
from tasks.dispatch import check_broker, start
from tasks.embedded import embedded_worker
from tasks.progress import follow, format_elapsed, not_succeeded, summary_table
from tasks.runtime import runtime

#: Upper bounds of the numeric options: a chunk of more ids would outlive the task time limits;
#: more lanes than this overrun any target's rate limits.
MAX_BATCH_SIZE = 100_000
MAX_THREAD_COUNT = 256


@dataclass(frozen=True)
class ResyncRequest:
    batch_size: int | None
    thread_count: int | None
    force: bool
    allow_mass_delete: bool
    dry_run: bool = False
    cleanup_feed: bool = False
    no_reindex: bool = False
    by_ids: str | None = None
    id_type: str | None = None
    continue_resync: bool = False


#: Printed before a ``--cleanup-feed`` run (the original's warning, docs/resync-options.md).
CLEANUP_WARNING = (
    "warning: --cleanup-feed clears the local feed export state of {feed}: deletions of entities no longer in "
    "the source can no longer be propagated, so they may not be reflected in the data space"
)


@click.command()
@click.option("--feed", "feed_name", default=None, help="Feed name, any letter case (see `saas-export feeds`).")
@click.option("--all", "all_feeds", is_flag=True, help="Every feed, in the recommended order of an initial sync.")
@click.option("--batch-size", type=click.IntRange(1, MAX_BATCH_SIZE), default=None, help="Source ids per chunk.")
@click.option(
    "--thread-count",
    type=click.IntRange(1, MAX_THREAD_COUNT),
    default=None,
    help="Chunks of this run executing at once.",
)
@click.option("--force", is_flag=True, help="Send every item even when its hash is unchanged.")
@click.option(
    "--allow-mass-delete", is_flag=True, help="Send the tombstones even when they exceed the mass-delete guard."
)
@click.option("--no-wait", is_flag=True, help="Print the run id and return (needs a broker).")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Build and compare everything, send nothing, write no feed row: report what would be sent "
    "(EXPORTER_EXTENDED_LOG=1 logs the payloads).",
)
@click.option(
    "--cleanup-feed",
    is_flag=True,
    help="Empty the feed's rows in this data space, then send every item (deletions can no longer be sent).",
)
@click.option(
    "--no-reindex",
    is_flag=True,
    help="Legacy feeds: resend the stored rows without collecting. Immediate feeds: send only changed or "
    "failed items (a plain resync).",
)
@click.option(
    "--by-ids",
    "by_ids",
    default=None,
    metavar="A,B,…|@FILE",
    help="Send only these products (products, prices, variants, inventoryStockStatus, productOverrides), "
    "whatever their hash: comma-separated, or @FILE with one per line or comma-separated.",
)
@click.option(
    "--id-type",
    type=click.Choice(["sku", "productId"]),
    default=None,
    help="What --by-ids lists: sku (the default) or productId.",
)
@click.option(
    "--continue-resync",
    is_flag=True,
    help="Resume the feed's latest unfinished run: done chunks are skipped, the others run again.",
)
def resync(
    feed_name: str | None,
    all_feeds: bool,
    batch_size: int | None,
    thread_count: int | None,
    force: bool,
    allow_mass_delete: bool,
    no_wait: bool,
    dry_run: bool,
    cleanup_feed: bool,
    no_reindex: bool,
    by_ids: str | None,
    id_type: str | None,
    continue_resync: bool,
) -> None:
    """Full re-sync of one feed (or all): only new, changed, failed and deleted items are sent."""
    if (feed_name is None) == (not all_feeds):
        raise click.UsageError("give either --feed NAME or --all")
    settings = get_settings()
    request = ResyncRequest(
        batch_size,
        thread_count,
        force,
        allow_mass_delete,
        dry_run,
        cleanup_feed,
        no_reindex,
        by_ids,
        id_type,
        continue_resync,
    )
    with one_line_errors():
        specs = list(FEEDS.values()) if all_feeds else [get_feed(feed_name or "")]
        refused = refusal(
            specs,
            force=force,
            allow_mass_delete=allow_mass_delete,
            cleanup_feed=cleanup_feed,
            no_reindex=no_reindex,
            by_ids=by_ids,
            id_type=id_type,
            continue_resync=continue_resync,
        )
        if refused:
            fail(refused, EXIT_USAGE)
        if dry_run and settings.exporter_extended_log:
            _payloads_to_stderr()
        embedded = is_embedded(settings)
        if embedded and no_wait:
            fail(
                "--no-wait needs a broker (SAAS_EXPORT_BROKER_URL): the embedded default runs the resync "
                "inside this process, which must stay up until it ends",
                EXIT_USAGE,
            )
        check_broker(settings)
        if settings.target.startswith("https://") and not settings.http_verify_tls:
            warn(f"warning: TLS verification is off for {redact(settings.target)} (SAAS_EXPORT_HTTP_VERIFY_TLS=false)")
        check_source(runtime(), specs)  # every table the chosen feeds read, before any run starts
        threads = max(resolve_tuning(settings, spec.name, batch_size, thread_count).thread_count for spec in specs)
        if embedded:
            with embedded_worker(threads):
                outcomes = [_resync_one(spec, request, embedded=True, no_wait=False) for spec in specs]
        else:
            outcomes = [_resync_one(spec, request, embedded=False, no_wait=no_wait) for spec in specs]
    runs = [run for run in outcomes if isinstance(run, Run)]
    if runs:
        console.print(summary_table(runs))
    exit_for(outcomes, runs)  # with --no-wait, no run has ended: only a locked feed counts


def exit_for(outcomes: Sequence[object], runs: Sequence[Run]) -> None:
    """The command's exit: 3 when a feed was locked (its line is printed), else 1 with each
    failed run's lines when a run did not succeed."""
    if any(outcome is None for outcome in outcomes):
        sys.exit(EXIT_LOCKED)
    failed = [run for run in runs if run.status != RunStatus.SUCCEEDED]
    for run in failed:
        for line in not_succeeded(run):
            warn(line)
    if failed:
        sys.exit(EXIT_FAILED)


def _payloads_to_stderr() -> None:
    """``EXPORTER_EXTENDED_LOG=1`` with ``--dry-run``: the payloads a chunk would send, on stderr
    (workers of a cluster log them at INFO in their own log)."""
    logger = logging.getLogger("exporters.runs.execute")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _resync_one(spec: FeedSpec, request: ResyncRequest, *, embedded: bool, no_wait: bool) -> Run | str | None:
    """One feed's run, followed to its end: the Run, its id (``--no-wait``), or None when locked."""
    if request.no_reindex and spec.mode == "legacy":
        say(f"Re-submitting {spec.summary} feed data...")
    else:
        say(f"Executing full re-sync of {spec.summary} feed data...")
    if request.no_reindex and spec.mode != "legacy":
        say(
            f"--no-reindex: {spec.name} is an immediate feed: it is rebuilt without emptying its table and only "
            "new, changed or previously failed items are sent"
        )
    if request.cleanup_feed:
        warn(CLEANUP_WARNING.format(feed=spec.name))
    if request.dry_run:
        say("dry run: nothing is sent and no feed row is written")
    if request.continue_resync:
        say(f"--continue-resync: resuming the latest unfinished run of {spec.name}")
    started = time.monotonic()
    try:
        planned = start(
            spec.name,
            batch_size=request.batch_size,
            thread_count=request.thread_count,
            force=request.force,
            allow_mass_delete=request.allow_mass_delete,
            embedded=embedded,
            dry_run=request.dry_run,
            cleanup_feed=request.cleanup_feed,
            no_reindex=request.no_reindex,
            by_ids=request.by_ids,
            id_type=request.id_type,
            continue_resync=request.continue_resync,
        )
    except FeedLocked as exc:
        error_line(str(exc))
        return None
    except FeedNotAvailable as exc:
        say(f"{spec.summary} skipped: {exc}")
        return "skipped"
    except NothingToContinue as exc:
        fail(str(exc), EXIT_USAGE)
    if request.continue_resync:
        say(f"continuing run {planned.run_id}")
    if planned.not_found:
        warn(not_found_line(planned.not_found, request.id_type or "sku"))
    if no_wait:
        say(f"run {planned.run_id} started: {planned.chunks} chunk(s)")
        say(f"watch it with: saas-export runs watch {planned.run_id}")
        return planned.run_id
    run = follow_run(planned.run_id, spec.summary, planned.chunks)
    what = "re-submit" if request.no_reindex and spec.mode == "legacy" else "full re-sync"
    say(f"{spec.summary} feed data {what} complete in {format_elapsed(time.monotonic() - started)}")
    return run


def follow_run(run_id: str, summary: str, chunks: int) -> Run:
    """The progress bar until the run is final; finalizes it here if its finalize was lost."""
    rt = runtime()

    def finalize_if_done() -> None:
        if RunStore(rt.feed_engine).unfinished_chunks(run_id) == 0:
            finalize_run(rt, run_id)

    store = RunStore(rt.feed_engine)
    return follow(store, run_id, summary, chunks, console, stall_after=rt.policy.stall_after, on_quiet=finalize_if_done)
