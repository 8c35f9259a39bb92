"""The inventoryStockStatus feed: one item per product × stock (``cataloginventory_stock_item``).

Open Source without MSI has one stock (``stock_id`` 1). Decisions where the contract is silent:
- ``qtyForSale`` is the quantity above the out-of-stock threshold (``qty - min_qty``, at least 0),
  Magento's salable quantity before reservations; without stock management it equals ``qty``;
- a setting marked ``use_config_*`` falls back to ``core_config_data``
  (``cataloginventory/item_options/manage_stock``, default 1; ``…/notify_stock_qty``, default 1);
- ``lowStock`` is true when stock is managed and ``qty`` is below the notify quantity;
- ``isSalable`` is the indexed stock status (``cataloginventory_stock_status``), else ``is_in_stock``;
- ``updatedAt`` is when the item was built (the stock tables keep no update time), written
  ``YYYY-MM-DD HH:MM:SS`` as Adobe's provider writes it (no ``DateConverter`` here); it is not
  part of the hash, nor is ``productId``.

``productId`` is an integer (Adobe's ``Int``); a live item carries ``deleted: false``, as Adobe's
indexer adds to every item it builds.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import and_, select

from exporters.clock import now_text
from exporters.feeds.base import SCOPE_TABLES, FeedSpec
from exporters.model import BuildResult, Item
from exporters.source import MagentoSource
from exporters.source.schema import (
    catalog_product_entity,
    cataloginventory_stock_item,
    cataloginventory_stock_status,
    id_between,
)

MANAGE_STOCK = "cataloginventory/item_options/manage_stock"
NOTIFY_STOCK_QTY = "cataloginventory/item_options/notify_stock_qty"


def _config_number(source: MagentoSource, path: str, default: float) -> float:
    value = source.config_value(path)
    try:
        return default if value is None else float(value)
    except ValueError:
        return default


def build_inventory(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every stock item of the products with entity ids ``lo..hi`` (inclusive)."""
    item_t, status_t, e = cataloginventory_stock_item, cataloginventory_stock_status, source.edition.products
    with source.connect() as conn:
        rows = conn.execute(
            select(
                item_t.c.product_id, item_t.c.stock_id, item_t.c.qty, item_t.c.min_qty, item_t.c.is_in_stock,
                item_t.c.notify_stock_qty, item_t.c.manage_stock, item_t.c.use_config_manage_stock, e.c.sku,
            )
            .join(e, and_(e.c.entity_id == item_t.c.product_id, source.edition.live(e)))
            .where(id_between(item_t.c.product_id, lo, hi))
            .order_by(item_t.c.product_id, item_t.c.stock_id)
        ).all()  # fmt: skip
        statuses: dict[tuple[int, int], int] = {}
        for product_id, stock_id, stock_status in conn.execute(
            select(status_t.c.product_id, status_t.c.stock_id, status_t.c.stock_status)
            .where(id_between(status_t.c.product_id, lo, hi))
            .order_by(status_t.c.website_id.desc())
        ):
            statuses[(product_id, stock_id)] = int(stock_status)  # website 0 is read last and wins
    manage_default = _config_number(source, MANAGE_STOCK, 1) != 0
    notify_default = _config_number(source, NOTIFY_STOCK_QTY, 1)
    updated_at, result = now_text(), BuildResult()
    for row in rows:
        if row.sku is None:
            continue  # the products feed reports a product without sku; it has no identity here
        managed = manage_default if row.use_config_manage_stock else bool(row.manage_stock)
        qty = float(row.qty or 0)
        notify = notify_default if row.notify_stock_qty is None else float(row.notify_stock_qty)
        status = statuses.get((row.product_id, row.stock_id))
        item: Item = {
            "stockId": str(row.stock_id),
            "sku": row.sku,
            "productId": int(row.product_id),
            "qty": qty,
            "qtyForSale": max(qty - float(row.min_qty or 0), 0.0) if managed else qty,
            "infiniteStock": not managed,
            "lowStock": managed and qty < notify,
            "isSalable": bool(row.is_in_stock) if status is None else status == 1,
            "updatedAt": updated_at,
            "deleted": False,
        }
        result.items.append(item)
    return result


INVENTORY_STOCK_STATUS = FeedSpec(
    name="inventoryStockStatus",
    summary="Inventory Stock Status Feed",
    mode="immediate",
    table="inventory_data_exporter_stock_status_feed",
    identity=("stockId", "sku"),
    minimal_payload=("stockId", "sku", "isSalable", "qty", "qtyForSale", "infiniteStock", "updatedAt"),
    source_key="productId",
    source_ids=catalog_product_entity.c.entity_id,
    builder=build_inventory,
    schema_file="inventoryStockStatus.json",
    hash_excludes=("modifiedAt", "updatedAt", "productId"),
    reads=(*SCOPE_TABLES, "catalog_product_entity", "cataloginventory_stock_item", "cataloginventory_stock_status"),
)
