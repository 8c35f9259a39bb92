"""The ``saas-export`` command line, modelled on ``bin/magento saas:resync``.

Exit codes (README.md): 0 success, 1 failed items or a failed run, 2 usage error, 3 feed locked.
Every expected error is printed as one line naming the problem and the fix, never a traceback.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click
import orjson
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from config import ConfigurationError, get_settings, is_embedded, resolve_tuning
from exporters.clock import DATETIME_FORMAT
from exporters.db import create_db_engine, redact
from exporters.exceptions import ExportError, FeedNotAvailable, TerminalError, UnknownFeed
from exporters.feeds import FEEDS, FeedSpec, get_feed
from exporters.feedtable import FeedStore, upgrade
from exporters.model import RunStatus, Status
from exporters.runs import FeedLocked, Run, RunStore, finalize_run
from exporters.sample_data import generate
from tasks.dispatch import start
from tasks.embedded import embedded_worker
from tasks.progress import follow, format_elapsed, summary_table
from tasks.runtime import runtime

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3

#: Piped output (logs, CI, tests) gets a wide console so tables keep their columns readable.
_WIDTH = None if sys.stdout.isatty() else 200
console = Console(highlight=False, soft_wrap=True, width=_WIDTH)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int) -> None:
    errors.print(f"[red]error:[/red] {message}", soft_wrap=True)
    sys.exit(code)


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Turn the exporter's errors into one line on stderr and the contract's exit code."""
    try:
        yield
    except FeedLocked as exc:
        fail(str(exc), EXIT_LOCKED)
    except UnknownFeed as exc:
        fail(str(exc), EXIT_USAGE)
    except ExportError as exc:
        fail(str(exc), EXIT_USAGE if isinstance(exc, TerminalError) else EXIT_FAILED)


def feed_engine() -> Engine:
    """The feed database, migrated to the current revision (idempotent and cheap)."""
    engine = create_db_engine(get_settings().feed_db, create_sqlite_dir=True)
    upgrade(engine)
    return engine


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Export a Magento 2.4 catalog to Commerce Services feeds."""


@cli.command()
@click.option("--feed", "feed_name", default=None, help="Feed name, any letter case (see `saas-export feeds`).")
@click.option("--all", "all_feeds", is_flag=True, help="Every feed, in the recommended order of an initial sync.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, help="Source ids per chunk.")
@click.option("--thread-count", type=click.IntRange(min=1), default=None, help="Chunks of this run executing at once.")
@click.option("--force", is_flag=True, help="Send every item even when its hash is unchanged.")
@click.option("--no-wait", is_flag=True, help="Print the run id and return (needs a broker).")
def resync(
    feed_name: str | None,
    all_feeds: bool,
    batch_size: int | None,
    thread_count: int | None,
    force: bool,
    no_wait: bool,
) -> None:
    """Full re-sync of one feed (or all): only new, changed, failed and deleted items are sent."""
    if (feed_name is None) == (not all_feeds):
        raise click.UsageError("give either --feed NAME or --all")
    settings = get_settings()
    with one_line_errors():
        specs = list(FEEDS.values()) if all_feeds else [get_feed(feed_name or "")]
        embedded = is_embedded(settings)
        if embedded and no_wait:
            fail(
                "--no-wait needs a broker (SAAS_EXPORT_BROKER_URL): the embedded default runs the resync "
                "inside this process, which must stay up until it ends",
                EXIT_USAGE,
            )
        # The runtime's engine: `start` migrates the feed database before it plans.
        store = RunStore(runtime().feed_engine)
        threads = max(resolve_tuning(settings, spec.name, batch_size, thread_count).thread_count for spec in specs)
        if embedded:
            with embedded_worker(threads):
                outcomes = [_resync_one(store, spec, batch_size, thread_count, force, True, False) for spec in specs]
        else:
            outcomes = [_resync_one(store, spec, batch_size, thread_count, force, False, no_wait) for spec in specs]
    runs = [run for run in outcomes if isinstance(run, Run)]
    if no_wait:
        return
    if runs:
        console.print(summary_table(runs))
    if any(run is None for run in outcomes):
        sys.exit(EXIT_LOCKED)
    for run in runs:
        if run.status != RunStatus.SUCCEEDED:
            errors.print(f"run {run.run_id} {run.status}: see `saas-export runs show {run.run_id}`")
    if any(run.status != RunStatus.SUCCEEDED for run in runs):
        sys.exit(EXIT_FAILED)


def _resync_one(
    store: RunStore,
    spec: FeedSpec,
    batch_size: int | None,
    thread_count: int | None,
    force: bool,
    embedded: bool,
    no_wait: bool,
) -> Run | str | None:
    """One feed's run, followed to its end: the Run, its id (``--no-wait``), or None when locked."""
    console.print(f"Executing full re-sync of {spec.summary} feed data...")
    started = time.monotonic()
    try:
        planned = start(spec.name, batch_size=batch_size, thread_count=thread_count, force=force, embedded=embedded)
    except FeedLocked as exc:
        errors.print(f"[red]error:[/red] {exc}")
        return None
    except FeedNotAvailable as exc:
        console.print(f"{spec.summary} skipped: {exc}")
        return "skipped"
    if no_wait:
        console.print(f"run {planned.run_id} started: {planned.chunks} chunk(s)")
        return planned.run_id
    run = follow(store, planned.run_id, spec.summary, planned.chunks, console)
    console.print(f"{spec.summary} feed data full re-sync complete in {format_elapsed(time.monotonic() - started)}")
    return run


@cli.command()
@click.option("--feed", "feed_name", default=None, help="Only this feed's runs.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
def status(feed_name: str | None, limit: int) -> None:
    """Recent runs, newest first."""
    with one_line_errors():
        feed = get_feed(feed_name).name if feed_name else None
        runs = RunStore(feed_engine()).recent(feed, limit)
    table = Table(title="Runs")
    for column in ("run id", "feed", "status", "started (UTC)", "chunks", "sent", "unchanged", "tombstones", "failed"):
        table.add_column(column)
    for run in runs:
        c = run.counts
        table.add_row(
            run.run_id,
            run.feed,
            run.status,
            f"{run.created_at:{DATETIME_FORMAT}}",
            str(run.chunks_total),
            f"{c.sent:,}",
            f"{c.unchanged:,}",
            f"{c.tombstones:,}",
            f"{c.failed:,}",
        )
    console.print(table)


@cli.group()
def runs() -> None:
    """Inspect or repair one run."""


def print_run(run: Run) -> None:
    console.print(summary_table(run))
    console.print(
        f"options: {orjson.dumps(run.options).decode()}  batch size: {run.batch_size}  "
        f"threads: {run.thread_count}  planned on {run.host} (pid {run.pid})"
    )
    if run.error:
        console.print(f"error: {run.error}")
    if run.report and (run.report.get("chunks") or run.report.get("items")):
        console.print("failure report:")
        console.print_json(orjson.dumps(run.report).decode())


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
            c.worker or "",
            c.error or "",
        )
    console.print(table)


@runs.command("finalize")
@click.argument("run_id")
def runs_finalize(run_id: str) -> None:
    """Finalize a run whose callback never fired (idempotent; unfinished chunks are recorded failed)."""
    with one_line_errors():
        rt = runtime()
        upgrade(rt.feed_engine)
        run = finalize_run(rt, run_id, by_hand=True)
    assert run is not None
    print_run(run)
    if run.status != RunStatus.SUCCEEDED:
        sys.exit(EXIT_FAILED)


@cli.command()
def feeds() -> None:
    """The feeds with their mode, feed table and items by status."""
    table = Table(title="Feeds")
    for column in ("feed", "mode", "feed table", *[s.name.lower().replace("_", " ") for s in Status]):
        table.add_column(column)
    with one_line_errors():
        engine = feed_engine()
        for spec in FEEDS.values():
            counts = FeedStore(engine, spec).counts_by_status()
            table.add_row(spec.name, spec.mode, spec.table, *[f"{counts.get(int(s), 0):,}" for s in Status])
    console.print(table)


@cli.command("sample-data")
@click.option(
    "--profile", type=click.Choice(["small", "medium", "large", "extra_large"]), default="small", show_default=True
)
@click.option("--products", type=click.IntRange(min=1), default=None, help="Override the number of product rows.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same catalog.")
@click.option("--edition", type=click.Choice(["opensource", "commerce"]), default="opensource", show_default=True)
@click.option("--db", "db_url", default=None, help="Target database URL (default: SAAS_EXPORT_SOURCE_DB).")
@click.option("--replace", is_flag=True, help="Drop an existing catalog in that database first.")
def sample_data(profile: str, products: int | None, seed: int, edition: str, db_url: str | None, replace: bool) -> None:
    """Create a deterministic sample Magento catalog."""
    url = db_url or get_settings().source_db
    with one_line_errors():
        report = generate(url, profile, products=products, seed=seed, edition=edition, replace=replace)
    table = Table(title=f"Sample catalog '{profile}' in {redact(url)}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in sorted(report.counts.items()):
        table.add_row(name, f"{count:,}")
    console.print(table)
    console.print(f"done in {report.elapsed:.1f}s")


@cli.group("db")
def db() -> None:
    """Feed database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the feed tables in SAAS_EXPORT_FEED_DB."""
    url = get_settings().feed_db
    with one_line_errors():
        before, after = upgrade(create_db_engine(url, create_sqlite_dir=True))
    console.print(f"feed database {redact(url)}: revision {before or '(empty)'} -> {after}")


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: click's usage errors become one line and exit code 2."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="saas-export", standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        fail(f"{exc.format_message()}{hint}", EXIT_USAGE)
    except click.ClickException as exc:
        fail(exc.format_message(), exc.exit_code)
    except click.exceptions.Abort:
        fail("aborted", EXIT_FAILED)
    except ConfigurationError as exc:  # raised by the first command that needs settings
        fail(str(exc), EXIT_USAGE)
