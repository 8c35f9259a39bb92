"""Fixtures for the cluster: a sample catalog in MariaDB, a feed DB in PostgreSQL, real workers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from exporters.db import create_db_engine
from exporters.feeds import PRODUCTS, validate
from exporters.runs import MAX_ID
from exporters.sample_data import generate
from exporters.source import MagentoSource
from tests.cluster import Cluster

CATALOG_PRODUCTS = 1200


@pytest.fixture
def catalog_url(make_db: Callable[[str], str]) -> str:
    """A small sample catalog (1,200 product rows) in MariaDB, one per test: tests change it."""
    url = make_db("mariadb")
    generate(url, "small", products=CATALOG_PRODUCTS, seed=7)
    return url


@pytest.fixture
def cluster(catalog_url: str, make_db: Callable[[str], str], tmp_path: Path) -> Iterator[Cluster]:
    """Catalog in MariaDB, feed tables in PostgreSQL, RabbitMQ + Redis; workers started by the test."""
    cluster = Cluster(source_db=catalog_url, feed_db=make_db("postgres"), workdir=tmp_path)
    yield cluster
    cluster.stop()


def expected_items(source_url: str) -> set[tuple[str, str]]:
    """(sku, storeViewCode) of every valid products item, built directly from the catalog."""
    result = validate(PRODUCTS, PRODUCTS.builder(MagentoSource(source_url), 0, MAX_ID))
    return {(item["sku"], item["storeViewCode"]) for item in result.items}


def exported(export_dir: Path) -> list[dict[str, Any]]:
    """Every item line of every NDJSON batch the file target wrote."""
    return [
        orjson.loads(line)
        for path in sorted(export_dir.glob("default/products/*.ndjson"))
        for line in path.read_bytes().splitlines()
    ]


def feed_engine_for(cluster: Cluster) -> Any:
    return create_db_engine(cluster.feed_db)
