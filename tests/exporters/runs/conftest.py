"""A runtime on SQLite for exercising runs without Celery: the chunk work is plain Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporters.feedtable import upgrade
from exporters.runs import Runtime
from tests.exporters.catalog import Catalog


@pytest.fixture
def small_catalog(make_db) -> Catalog:
    catalog = Catalog(make_db("sqlite"))
    for n in range(1, 7):
        catalog.add_product(f"SKU-{n}", entity_id=n * 10, values={"name": {"admin": f"Product {n}"}})
    return catalog


@pytest.fixture
def runtime(small_catalog: Catalog, make_db, tmp_path: Path) -> Runtime:
    rt = Runtime.create(small_catalog.url, make_db("sqlite"), f"file://{tmp_path / 'out'}", "space")
    upgrade(rt.feed_engine)
    return rt
