"""Throw-away databases on the real servers of this machine (and SQLite files).

Each test that asks for one gets a database of its own, created empty and dropped afterwards,
so tests never see each other's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

MARIADB_SERVER = "mysql+mysqldb://root@127.0.0.1:3306"
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
KINDS = ("sqlite", "mariadb", "postgres")


@contextmanager
def temporary_database(kind: str, tmp_dir: Path) -> Iterator[str]:
    """Yield the URL of a new empty database of ``kind``; drop it on exit."""
    name = f"saas_test_{uuid.uuid4().hex[:12]}"
    if kind == "sqlite":
        yield f"sqlite:///{tmp_dir / (name + '.sqlite')}"
        return
    if kind == "mariadb":
        server = create_engine(MARIADB_SERVER)
        with server.begin() as conn:
            conn.execute(text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"))
        try:
            yield f"{MARIADB_SERVER}/{name}"
        finally:
            with server.begin() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            server.dispose()
        return
    if kind == "postgres":
        server = create_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        try:
            yield f"{POSTGRES_SERVER}/{name}"
        finally:
            with server.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            server.dispose()
        return
    raise ValueError(kind)
