"""The ``saas-export`` command line, modelled on ``bin/magento saas:resync``.

Exit codes (PRODUCT.md): 0 success, 1 failed items or a failed run, 2 usage error, 3 feed locked.
Every expected error is printed as one line naming the problem and the fix, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.table import Table

from config import get_settings
from exporters.db import create_db_engine
from exporters.exceptions import ExportError, TerminalError, UnknownFeed
from exporters.feeds import FEEDS
from exporters.feedtable import FeedStore, Status, upgrade

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3

console = Console()
errors = Console(stderr=True)


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Turn the exporter's errors into one line on stderr and the contract's exit code."""
    try:
        yield
    except UnknownFeed as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(EXIT_USAGE)
    except ExportError as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(EXIT_USAGE if isinstance(exc, TerminalError) else EXIT_FAILED)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Export a Magento 2.4 catalog to Commerce Services feeds."""


@main.command("sample-data")
@click.option(
    "--profile",
    type=click.Choice(["small", "medium", "large", "extra_large"]),
    default="small",
    show_default=True,
    help="Performance-toolkit profile.",
)
@click.option("--products", type=click.IntRange(min=1), default=None, help="Override the number of product rows.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; same seed, same catalog.")
@click.option("--edition", type=click.Choice(["opensource", "commerce"]), default="opensource", show_default=True)
@click.option("--db", "db_url", default=None, help="Target database URL (default: SAAS_EXPORT_SOURCE_DB).")
@click.option("--replace", is_flag=True, help="Drop an existing catalog in that database first.")
def sample_data(profile: str, products: int | None, seed: int, edition: str, db_url: str | None, replace: bool) -> None:
    """Create a deterministic sample Magento catalog."""
    from exporters.db import redact
    from exporters.sample_data import generate

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


@main.group("db")
def db() -> None:
    """Feed database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the feed tables in SAAS_EXPORT_FEED_DB."""
    from exporters.db import redact

    url = get_settings().feed_db
    with one_line_errors():
        before, after = upgrade(create_db_engine(url, create_sqlite_dir=True))
    console.print(f"feed database {redact(url)}: revision {before or '(empty)'} -> {after}", highlight=False)


@main.command("feeds")
def feeds() -> None:
    """List the feeds with their mode, feed table and items by status."""
    engine = create_db_engine(get_settings().feed_db, create_sqlite_dir=True)
    table = Table(title="Feeds")
    for column in ("feed", "mode", "feed table", *[s.name.lower() for s in Status]):
        table.add_column(column)
    with one_line_errors():
        upgrade(engine)
        for spec in FEEDS.values():
            counts = FeedStore(engine, spec).counts_by_status()
            table.add_row(spec.name, spec.mode, spec.table, *[f"{counts.get(int(s), 0):,}" for s in Status])
    console.print(table)
