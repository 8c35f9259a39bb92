"""The ``saas-export`` command line as an operator runs it (a subprocess, a fresh folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select

from exporters.feeds import FEEDS, PRODUCTS, FeedSpec, get_feed
from exporters.feedtable import FeedStore
from exporters.model import Item, identity_value
from exporters.runs import MAX_ID
from exporters.runs import lock as feed_lock
from exporters.runs.tables import runs as runs_table
from exporters.source import MagentoSource
from exporters.source import schema as s
from tests.support.cli import resync_complete, saas_export
from tests.support.items import expected_items, exported, ndjson_items, product_keys


def run_rows(cwd: Path) -> list[str]:
    """The run ids recorded in the embedded feed database under ``cwd`` (none when it does not exist yet)."""
    path = cwd / "var" / "feeds.sqlite"
    if not path.exists():
        return []
    engine = create_engine(f"sqlite:///{path}")
    if not inspect(engine).has_table("saas_run"):
        return []
    with engine.connect() as conn:
        return list(conn.execute(select(runs_table.c.run_id)).scalars())


def identities(spec: FeedSpec, items: list[Item]) -> list[tuple[object, ...]]:
    """The identity of each item of ``spec``, sorted."""
    return sorted(tuple(identity_value(i, k) for k in spec.identity) for i in items)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--batch-size", "0"], "Invalid value for '--batch-size': 0 is not in the range 1<=x<=100000."),
        (["--batch-size", "-5"], "Invalid value for '--batch-size': -5 is not in the range 1<=x<=100000."),
        (["--batch-size", "200000"], "Invalid value for '--batch-size': 200000 is not in the range 1<=x<=100000."),
        (["--thread-count", "1000"], "Invalid value for '--thread-count': 1000 is not in the range 1<=x<=256."),
        (["--thread-count", "abc"], "Invalid value for '--thread-count': 'abc' is not a valid integer range."),
        (["--batch-size", "2.5"], "Invalid value for '--batch-size': '2.5' is not a valid integer range."),
    ],
)
def test_bad_numbers_are_one_line_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    # When a resync is given a number out of range or not a number
    result = saas_export(tmp_path, "resync", "--feed", "products", *args)
    # Then it is a one-line usage error pointing at the help, and no run is created
    assert result.returncode == 2
    assert result.stderr == f"error: {message} (see `saas-export resync --help`)\n"
    assert run_rows(tmp_path) == []


def test_an_unknown_feed_lists_the_valid_ones(tmp_path: Path) -> None:
    # When a resync names a feed that does not exist
    result = saas_export(tmp_path, "resync", "--feed", "prodcts")
    # Then the error lists the valid feeds, and no run is created
    assert result.returncode == 2
    assert result.stderr == (
        "error: unknown feed 'prodcts'. Valid feeds: "
        "productAttributes, products, scopesCustomerGroup, scopesWebsite, prices, productOverrides, variants, "
        "categories, categoryPermissions, inventoryStockStatus, orders\n"
    )
    assert run_rows(tmp_path) == []


def test_an_unreachable_broker_is_one_line_and_creates_no_run(tmp_path: Path) -> None:
    # Given a broker URL on a port where nothing listens
    # When a resync runs
    result = saas_export(
        tmp_path, "resync", "--feed", "products", SAAS_EXPORT_BROKER_URL="amqp://shop:s3cret@127.0.0.1:1//"
    )
    # Then it is one line naming the broker without its password, and no run is created
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot reach the Celery broker at amqp://shop:***@127.0.0.1:1//: ")
    assert "s3cret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert run_rows(tmp_path) == []


def test_a_missing_catalog_is_one_line(tmp_path: Path) -> None:
    # Given a folder without any catalog; when a resync runs
    result = saas_export(tmp_path, "resync", "--feed", "products")
    # Then it says the default source is not a Magento catalog, and no run is created
    assert result.returncode == 2
    assert "is not a Magento 2.4 catalog database: missing table(s) store," in result.stderr
    assert run_rows(tmp_path) == []


def test_the_embedded_default_end_to_end(tmp_path: Path) -> None:
    # Given a sample catalog in the default SQLite source and no broker at all
    created = saas_export(tmp_path, "sample-data", "--profile", "small", "--products", "300", "--seed", "3")
    assert created.returncode == 0, created.stderr
    expected = expected_items(f"sqlite:///{tmp_path / 'var' / 'catalog.sqlite'}")
    # When a resync runs on the embedded default
    result = saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "40", "--thread-count", "3")
    # Then every item is in the NDJSON files under var/export/default/products
    assert result.returncode == 0, result.stderr
    assert "Executing full re-sync of Products Feed feed data..." in result.stdout
    assert resync_complete("Products Feed").search(result.stdout), result.stdout
    folder = tmp_path / "var" / "export" / "default" / "products"
    files = sorted(folder.glob("*.ndjson"))
    assert product_keys(ndjson_items(folder)) == sorted(expected)
    # and the run is recorded, and the same again sends nothing
    status = saas_export(tmp_path, "status")
    assert "succeeded" in status.stdout
    again = saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "40")
    assert again.returncode == 0, again.stderr
    assert len(list(folder.glob("*.ndjson"))) == len(files)
    assert len(run_rows(tmp_path)) == 2


def test_no_wait_needs_a_broker(tmp_path: Path) -> None:
    # Given no broker configured; when a resync is asked not to wait
    result = saas_export(tmp_path, "resync", "--feed", "products", "--no-wait")
    # Then it is refused, naming the setting
    assert result.returncode == 2
    assert "--no-wait needs a broker (SAAS_EXPORT_BROKER_URL)" in result.stderr


def test_a_target_that_stays_down_fails_the_chunk_after_its_retries(tmp_path: Path) -> None:
    # Given a catalog and a file target whose folder cannot be created (a file is in the way)
    assert saas_export(tmp_path, "sample-data", "--products", "60", "--seed", "5").returncode == 0
    (tmp_path / "blocker").write_text("not a folder")
    env = {
        "SAAS_EXPORT_TARGET": "file://blocker/export",
        "SAAS_EXPORT_CHUNK_MAX_RETRIES": "2",
        "SAAS_EXPORT_RETRY_BACKOFF_MAX": "1",
    }
    # When a resync runs
    result = saas_export(tmp_path, "resync", "--feed", "products", **env)
    # Then the run fails (exit 1) after three attempts of its one chunk, with the reason recorded
    assert result.returncode == 1
    run_id = result.stderr.splitlines()[-1].split()[1]
    assert result.stderr.splitlines()[-1] == f"run {run_id} failed: see `saas-export runs show {run_id}`"
    assert result.stderr.count(f"run {run_id} chunk 0: target file://blocker/export is unavailable") == 2
    shown = saas_export(tmp_path, "runs", "show", run_id, **env)
    assert "failed" in shown.stdout
    assert '"attempts": 3' in shown.stdout
    assert "target file://blocker/export is unavailable: Not a directory" in shown.stdout
    assert "gave up after 3 attempts" in shown.stdout
    # and the feed is free again and its items wait, unsent (status 0), for the next run
    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'feeds.sqlite'}")
    expected = expected_items(f"sqlite:///{tmp_path / 'var' / 'catalog.sqlite'}")
    assert FeedStore(engine, PRODUCTS).counts_by_status() == {0: len(expected)}
    assert feed_lock.holder(engine, "products") is None


def test_an_invalid_setting_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    # Given a batch size of 0 in the environment; when a resync runs
    result = saas_export(tmp_path, "resync", "--feed", "products", SAAS_EXPORT_FEEDS__PRODUCTS__BATCH_SIZE="0")
    # Then it is one line naming the variable, and no run is created
    assert result.returncode == 2
    assert result.stderr == (
        "error: invalid configuration: SAAS_EXPORT_FEEDS__PRODUCTS__BATCH_SIZE: Input should be greater than 0. "
        "Fix the environment or .env file.\n"
    )
    assert run_rows(tmp_path) == []


EMBEDDED_FEEDS = [
    "productAttributes", "scopesWebsite", "scopesCustomerGroup", "prices", "variants", "categories",
    "inventoryStockStatus", "orders",
]  # fmt: skip


@pytest.mark.parametrize("feed", EMBEDDED_FEEDS)
def test_each_feed_resyncs_on_the_embedded_default(tmp_path: Path, feed: str) -> None:
    # Given a sample catalog with three websites and one configurable (24 variants)
    created = saas_export(tmp_path, "sample-data", "--profile", "medium", "--products", "100", "--seed", "2")
    assert created.returncode == 0, created.stderr
    spec = get_feed(feed)
    built = spec.build(MagentoSource(f"sqlite:///{tmp_path / 'var' / 'catalog.sqlite'}"), 0, MAX_ID).items
    # When the feed is resynced (named in lower case: feed names are case-insensitive)
    result = saas_export(tmp_path, "resync", "--feed", feed.lower(), "--batch-size", "40")
    # Then exactly its items were delivered
    assert result.returncode == 0, result.stderr
    assert resync_complete(spec.summary).search(result.stdout), result.stdout
    items = exported(tmp_path / "var" / "export", spec.name)
    assert identities(spec, items) == identities(spec, built)
    # and as many as the source rows they come from
    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'catalog.sqlite'}")

    def count(table, *where) -> int:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())

    expected = {
        "productAttributes": 3 * count(s.eav_attribute, s.eav_attribute.c.entity_type_id == 4),
        "scopesWebsite": 3,
        "scopesCustomerGroup": 4,
        "prices": count(s.catalog_product_website),  # base items; group items are checked by identity above
        "variants": count(s.catalog_product_super_link),
        "categories": 3 * (count(s.catalog_category_entity) - 1),  # all but the root catalog, at three views
        "inventoryStockStatus": count(s.cataloginventory_stock_item),
        "orders": count(s.sales_order),
    }[feed]
    assert expected > 0
    delivered = [i for i in items if i.get("customerGroupCode", "0") == "0"] if feed == "prices" else items
    assert len(delivered) == expected


def test_resync_all_runs_every_feed_in_order_with_one_summary(tmp_path: Path) -> None:
    # Given an Open Source sample catalog
    assert saas_export(tmp_path, "sample-data", "--products", "100", "--seed", "6").returncode == 0
    # When every feed is resynced
    result = saas_export(tmp_path, "resync", "--all")
    # Then each feed started in order, the two Commerce-only ones were skipped, the others succeeded
    assert result.returncode == 0, result.stderr
    started = [line.split(" of ")[1].split(" feed data")[0] for line in result.stdout.splitlines()
               if line.startswith("Executing full re-sync of ")]  # fmt: skip
    assert started == [spec.summary for spec in FEEDS.values()]
    assert "Initial sync" in result.stdout
    assert "Category Permissions Feed skipped: categoryPermissions needs the Adobe Commerce table" in result.stdout
    assert "Product Overrides Feed skipped: productOverrides needs the Adobe Commerce table" in result.stdout
    assert result.stdout.count(" succeeded ") == len(FEEDS) - 2


def test_feed_and_all_are_exclusive(tmp_path: Path) -> None:
    for args in ([], ["--feed", "products", "--all"]):
        # When a resync is given neither --feed nor --all, or both, then it is a usage error
        result = saas_export(tmp_path, "resync", *args)
        assert result.returncode == 2
        assert result.stderr == "error: give either --feed NAME or --all (see `saas-export resync --help`)\n"


def test_an_adobe_commerce_feed_on_open_source_is_skipped_cleanly(tmp_path: Path) -> None:
    # Given an Open Source sample catalog
    assert saas_export(tmp_path, "sample-data", "--products", "30").returncode == 0
    # When a Commerce-only feed is resynced
    result = saas_export(tmp_path, "resync", "--feed", "categorypermissions")
    # Then it says so in one line, exits cleanly, and starts no run
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "Category Permissions Feed skipped: categoryPermissions needs the Adobe Commerce table "
        "magento_catalogpermissions, which sqlite:///var/catalog.sqlite does not have (an Open Source database): "
        "nothing to export"
    )
    assert run_rows(tmp_path) == []


def test_resync_all_on_an_adobe_commerce_catalog_runs_all_eleven_feeds(tmp_path: Path) -> None:
    # Given a staged Adobe Commerce sample catalog (row_id versions, category permissions)
    created = saas_export(tmp_path, "sample-data", "--products", "100", "--seed", "6", "--edition", "commerce")
    assert created.returncode == 0, created.stderr
    catalog = MagentoSource(f"sqlite:///{tmp_path / 'var' / 'catalog.sqlite'}")
    # When every feed is resynced in chunks of 40 ids
    result = saas_export(tmp_path, "resync", "--all", "--batch-size", "40")
    # Then all eleven ran and succeeded, none skipped
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(" succeeded ") == len(FEEDS) == 11
    assert "skipped" not in result.stdout
    # and each delivered exactly the items its builder makes of the live catalog
    for spec in FEEDS.values():
        items = exported(tmp_path / "var" / "export", spec.name)
        built = spec.build(catalog, 0, MAX_ID).items
        assert built, spec.name
        assert identities(spec, items) == identities(spec, built), spec.name


@pytest.mark.parametrize(("feed", "summary"), [("categoryPermissions", "Category Permissions Feed"),
                                               ("productOverrides", "Product Overrides Feed")])  # fmt: skip
def test_the_commerce_only_feeds_skip_the_real_luma_database(tmp_path: Path, luma_url: str, feed: str, summary: str):
    # Given the real Luma database (Open Source: no magento_catalogpermissions)
    # When a Commerce-only feed is resynced from it
    result = saas_export(tmp_path, "resync", "--feed", feed, SAAS_EXPORT_SOURCE_DB=luma_url)
    # Then it says so in one line naming the database, exits cleanly, and starts no run
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"{summary} skipped: {feed} needs the Adobe Commerce table magento_catalogpermissions, which "
        f"{luma_url} does not have (an Open Source database): nothing to export"
    )
    assert run_rows(tmp_path) == []
