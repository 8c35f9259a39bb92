"""Fixtures shared by every test package: databases on the real servers, settings isolation.

Tests that need a server carry its mark (``mariadb``, ``postgres``, ``cluster``), so that
``pytest -m "not cluster and not mariadb and not postgres"`` runs with no server at all:

- the server kinds of ``db_kind`` and ``hand_catalog`` are parameters carrying their mark;
- a test using a fixture of ``SERVER_FIXTURES`` gets that fixture's marks (the hook below);
- a test calling ``make_db("mariadb")`` or ``make_db("postgres")`` itself is marked by hand,
  and ``make_db`` fails a test that is not.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from config import get_settings
from tests.support.databases import KIND_PARAMS, SERVER_KINDS, temporary_database
from tests.support.luma import luma_database

#: Fixtures that reach a server, and the marks of the servers they reach.
SERVER_FIXTURES = {
    "luma_url": ("mariadb",),
    "catalog_url": ("mariadb",),
    "cluster": ("cluster", "mariadb", "postgres"),
    "mariadb_cluster": ("cluster", "mariadb"),
}


@pytest.hookimpl(tryfirst=True)  # before -m deselects by mark
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        for mark in sorted({mark for name in fixtures for mark in SERVER_FIXTURES.get(name, ())}):
            item.add_marker(mark)


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Tests never read the developer's .env or environment: each starts from defaults."""
    for name in list(os.environ):
        if name.startswith("SAAS_EXPORT_") or name in (
            "EXPORTER_EXTENDED_LOG",
            "EXPORTER_PROFILER",
            "EXPORTER_LOG_PROGRESS_INTERVAL",
            "PERSIST_EXPORTED_FEED",
        ):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def make_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """A factory: ``make_db("mariadb")`` returns the URL of a fresh empty database.

    A server kind needs the test to carry the kind's mark.
    """

    def make(kind: str) -> str:
        if kind in SERVER_KINDS and request.node.get_closest_marker(kind) is None:
            pytest.fail(f"{request.node.nodeid} makes a {kind} database: mark it @pytest.mark.{kind}", pytrace=False)
        return stack.enter_context(temporary_database(kind, tmp_path))

    with ExitStack() as stack:
        yield make


@pytest.fixture(params=KIND_PARAMS)
def db_kind(request: pytest.FixtureRequest) -> str:
    """Run the test once per database kind: SQLite, MariaDB, PostgreSQL."""
    return str(request.param)


@pytest.fixture
def source_url(make_db: Callable[[str], str], db_kind: str) -> str:
    """An empty database of each kind, for a hand-built Magento catalog."""
    return make_db(db_kind)


@pytest.fixture(scope="session")
def luma_url() -> Iterator[str]:
    """The real Luma catalog in MariaDB, loaded once per test session."""
    with luma_database() as url:
        yield url
