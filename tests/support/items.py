"""Feed items in tests: keyed and trimmed for comparison, expected from a catalog, read back from a target."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import orjson

from exporters.feeds import PRODUCTS
from exporters.model import Item
from tests.support.feeds import build_feed


def items_by_key(items: list[Item]) -> dict[tuple[str, str], Item]:
    """Products items by (sku, storeViewCode)."""
    return {(item["sku"], item["storeViewCode"]): item for item in items}


def product_keys(items: Iterable[Item]) -> list[tuple[str, str]]:
    """The (sku, storeViewCode) of each products item, sorted."""
    return sorted((item["sku"], item["storeViewCode"]) for item in items)


def without(item: Item, *fields: str) -> Item:
    """``item`` without ``fields`` (those stamped at build time, e.g. ``modifiedAt``)."""
    return {k: v for k, v in item.items() if k not in fields}


def expected_items(source_url: str) -> set[tuple[str, str]]:
    """(sku, storeViewCode) of every valid products item, built directly from the catalog."""
    return set(product_keys(build_feed(PRODUCTS, source_url).items))


def ndjson_items(folder: Path, pattern: str = "*.ndjson") -> list[Item]:
    """Every item line of the NDJSON batches in ``folder`` whose names match ``pattern``, in name order."""
    return [orjson.loads(line) for path in sorted(folder.glob(pattern)) for line in path.read_bytes().splitlines()]


def exported(export_dir: Path, feed: str = "products", run_id: str | None = None) -> list[Item]:
    """Every item the file target under ``export_dir`` wrote for ``feed`` in data space ``default``
    (only run ``run_id``'s batches when given)."""
    return ndjson_items(export_dir / "default" / feed, f"{run_id}-*.ndjson" if run_id else "*.ndjson")
