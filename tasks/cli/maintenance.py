"""``saas-export feeds``, ``sample-data`` and ``db upgrade``: the feed database and sample catalogs."""

from __future__ import annotations

import click
from rich.table import Table
from sqlalchemy import Engine

from config import get_settings
from exporters.db import create_db_engine, redact
from exporters.feeds import FEEDS
from exporters.feedtable import FeedStore, upgrade
from exporters.model import Status
from exporters.sample_data import generate
from tasks.cli.output import console, one_line_errors, say


def feed_engine() -> Engine:
    """The feed database, migrated to the current revision (idempotent and cheap)."""
    settings = get_settings()
    engine = create_db_engine(settings.feed_db, create_sqlite_dir=True)
    upgrade(engine, data_space=settings.data_space_id)
    return engine


@click.command()
def feeds() -> None:
    """The feeds with their mode, feed table and items by status."""
    table = Table(title="Feeds")
    for column in ("feed", "mode", "feed table", *[s.name.lower().replace("_", " ") for s in Status]):
        table.add_column(column)
    with one_line_errors():
        engine = feed_engine()
        for spec in FEEDS.values():
            counts = FeedStore(engine, spec, data_space=get_settings().data_space_id).counts_by_status()
            table.add_row(spec.name, spec.mode, spec.table, *[f"{counts.get(int(s), 0):,}" for s in Status])
    console.print(table)


@click.command("sample-data")
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
    say(f"done in {report.elapsed:.1f}s")


@click.group("db")
def db() -> None:
    """Feed database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the feed tables in SAAS_EXPORT_FEED_DB."""
    settings = get_settings()
    url = settings.feed_db
    with one_line_errors():
        before, after = upgrade(create_db_engine(url, create_sqlite_dir=True), data_space=settings.data_space_id)
    say(f"feed database {redact(url)}: revision {before or '(empty)'} -> {after}")
