"""Fixtures shared by every test package: databases on the real servers, settings isolation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from config import get_settings
from tests.databases import KINDS, temporary_database


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Tests never read the developer's .env or environment: each starts from defaults."""
    import os

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
def make_db(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """A factory: ``make_db("mariadb")`` returns the URL of a fresh empty database."""
    with ExitStack() as stack:
        yield lambda kind: stack.enter_context(temporary_database(kind, tmp_path))


@pytest.fixture(params=KINDS)
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
    from tests.luma import luma_database

    with luma_database() as url:
        yield url
