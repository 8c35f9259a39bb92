"""Catalogs every exporter test reads: the hand-built one per database kind, and a small one with a runtime."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from exporters.feeds import PRODUCTS
from exporters.feedtable import upgrade
from exporters.model import Item
from exporters.runs import Runtime
from tests.support.catalog import Catalog
from tests.support.databases import KIND_PARAMS, temporary_database
from tests.support.feeds import build_feed
from tests.support.hand_catalog import HandBuilt, build_hand_catalog
from tests.support.items import items_by_key


@pytest.fixture(scope="module", params=KIND_PARAMS)
def hand_catalog(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HandBuilt]:
    """The hand-built catalog in SQLite, MariaDB and PostgreSQL (built once per module and kind)."""
    with temporary_database(request.param, tmp_path_factory.mktemp("catalog")) as url:
        yield build_hand_catalog(Catalog(url, websites=2))


@pytest.fixture(scope="session")
def luma_items(luma_url: str) -> dict[tuple[str, str], Item]:
    """The products feed of the Luma database by (sku, store view), built once for every module."""
    result = build_feed(PRODUCTS, luma_url, 1, 3000)
    assert result.failures == []
    return items_by_key(result.items)


@pytest.fixture
def small_catalog(make_db: Callable[[str], str]) -> Catalog:
    """Six products, SKU-1 to SKU-6 (ids 10 to 60), in SQLite."""
    catalog = Catalog(make_db("sqlite"))
    for n in range(1, 7):
        catalog.add_product(f"SKU-{n}", entity_id=n * 10, values={"name": {"admin": f"Product {n}"}})
    return catalog


@pytest.fixture
def runtime(small_catalog: Catalog, make_db: Callable[[str], str], tmp_path: Path) -> Runtime:
    """The small catalog exported to ``file://<tmp>/out`` (data space ``space``) through a SQLite feed database."""
    rt = Runtime.create(small_catalog.url, make_db("sqlite"), f"file://{tmp_path / 'out'}", "space")
    upgrade(rt.feed_engine)
    return rt
