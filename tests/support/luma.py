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


#: 24-MB01's product links in the Luma database (catalog_product_link types 5 and 4): four
#: cross-sells and eight up-sells, as the feed sends them, by type then sku.
JOUST_DUFFLE_LINKS = [
    {"sku": "24-UG01", "type": "crosssell"},
    {"sku": "24-WG083-blue", "type": "crosssell"},
    {"sku": "24-WG085_Group", "type": "crosssell"},
    {"sku": "24-WG086", "type": "crosssell"},
    {"sku": "24-MB02", "type": "upsell"},
    {"sku": "24-MB03", "type": "upsell"},
    {"sku": "24-MB05", "type": "upsell"},
    {"sku": "24-MB06", "type": "upsell"},
    {"sku": "24-UB02", "type": "upsell"},
    {"sku": "24-WB03", "type": "upsell"},
    {"sku": "24-WB04", "type": "upsell"},
    {"sku": "24-WB07", "type": "upsell"},
]
