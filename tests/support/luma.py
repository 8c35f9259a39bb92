"""The real Magento 2.4.7 Luma database from ../shared/fixtures, loaded into MariaDB."""

from __future__ import annotations

import gzip
import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.databases import mariadb_database, mysql_client
from tests.support.paths import REPO

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
    with mariadb_database(name, "CHARACTER SET utf8mb4") as url:
        subprocess.run(mysql_client(name), input=gzip.decompress(FIXTURE.read_bytes()), check=True)
        yield url
