"""Throw-away databases on the real servers of this machine (and SQLite files).

Each test that asks for one gets a database of its own, created empty and dropped afterwards,
so tests never see each other's rows.

The servers are ``SAAS_TEST_MARIADB_URL`` and ``SAAS_TEST_POSTGRES_URL`` (SQLAlchemy URLs without
a database), defaulting to the local ones. Tests that need a server are marked with the kind's
name (``mariadb``, ``postgres``), so ``-m "not mariadb and not postgres"`` runs without either.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

MARIADB_SERVER = os.environ.get("SAAS_TEST_MARIADB_URL", "mysql+mysqldb://root@127.0.0.1:3306")
POSTGRES_SERVER = os.environ.get("SAAS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
KINDS = ("sqlite", "mariadb", "postgres")
#: The database kinds that are servers; each is also the name of the mark a test using it needs.
SERVER_KINDS = ("mariadb", "postgres")
#: ``KINDS`` as parameters, each server kind carrying its mark.
KIND_PARAMS = [
    "sqlite",
    pytest.param("mariadb", marks=pytest.mark.mariadb),
    pytest.param("postgres", marks=pytest.mark.postgres),
]


@contextmanager
def temporary_database(kind: str, tmp_dir: Path) -> Iterator[str]:
    """Yield the URL of a new empty database of ``kind``; drop it on exit."""
    name = f"saas_test_{uuid.uuid4().hex[:12]}"
    if kind == "sqlite":
        yield f"sqlite:///{tmp_dir / (name + '.sqlite')}"
    elif kind == "mariadb":
        with mariadb_database(name, "CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci") as url:
            yield url
    elif kind == "postgres":
        with server_database(f"{POSTGRES_SERVER}/postgres", POSTGRES_SERVER, name, drop_options=" WITH (FORCE)") as url:
            yield url
    else:
        raise ValueError(kind)


@contextmanager
def mariadb_database(name: str, options: str) -> Iterator[str]:
    """A new MariaDB database ``name`` created with ``options``; dropped on exit."""
    with server_database(MARIADB_SERVER, MARIADB_SERVER, name, create_options=f" {options}") as url:
        yield url


@contextmanager
def server_database(
    admin_url: str, server: str, name: str, *, create_options: str = "", drop_options: str = ""
) -> Iterator[str]:
    """Create database ``name`` through ``admin_url``, yield its URL on ``server``, drop it on exit."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}{create_options}"))
    try:
        yield f"{server}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}{drop_options}"))
        admin.dispose()


def mysql_client(database: str) -> list[str]:
    """The ``mysql`` command line connecting to ``database`` on ``MARIADB_SERVER``."""
    url = make_url(MARIADB_SERVER)
    command = ["mysql", f"-u{url.username or 'root'}", f"-h{url.host or '127.0.0.1'}", f"-P{url.port or 3306}"]
    if url.password:
        command.append(f"--password={url.password}")
    return [*command, database]
