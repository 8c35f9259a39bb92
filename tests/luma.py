"""The real Magento 2.4.7 Luma database from ../shared/fixtures, loaded into MariaDB."""

from __future__ import annotations

import gzip
import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.databases import MARIADB_SERVER

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(
    os.environ.get(
        "SAAS_EXPORT_LUMA_FIXTURE", REPO.parent / "shared" / "fixtures" / "magento-2.4.7-luma-catalog.sql.gz"
    )
)


@contextmanager
def luma_database() -> Iterator[str]:
    """Load the Luma dump into a new MariaDB database with the mysql client, as its README says."""
    if not FIXTURE.exists():
        raise FileNotFoundError(
            f"the Luma fixture is missing at {FIXTURE}; the tests expect ../shared/fixtures beside the "
            "repository (or SAAS_EXPORT_LUMA_FIXTURE pointing at the .sql.gz)"
        )
    name = f"saas_luma_{uuid.uuid4().hex[:10]}"
    server = create_engine(MARIADB_SERVER)
    with server.begin() as conn:
        conn.execute(text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4"))
    try:
        subprocess.run(
            ["mysql", "-uroot", "-h127.0.0.1", name], input=gzip.decompress(FIXTURE.read_bytes()), check=True
        )
        yield f"{MARIADB_SERVER}/{name}"
    finally:
        with server.begin() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        server.dispose()
