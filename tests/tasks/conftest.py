"""Fixtures for the cluster: a sample catalog in MariaDB, a feed DB in PostgreSQL (or MariaDB), real workers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from exporters.sample_data import generate
from tests.support.cluster import Cluster

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


@pytest.fixture
def mariadb_cluster(catalog_url: str, make_db: Callable[[str], str], tmp_path: Path) -> Iterator[Cluster]:
    """Catalog and feed tables both in MariaDB (what Magento shops run), RabbitMQ + Redis."""
    cluster = Cluster(source_db=catalog_url, feed_db=make_db("mariadb"), workdir=tmp_path)
    yield cluster
    cluster.stop()
