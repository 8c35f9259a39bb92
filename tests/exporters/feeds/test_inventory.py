"""The inventoryStockStatus feed: one item per product × stock."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import insert, update

from exporters.feeds import INVENTORY_STOCK_STATUS
from exporters.feedtable import feed_hash
from exporters.source import schema as s
from tests.support.catalog import Catalog
from tests.support.feeds import build_feed
from tests.support.items import without


def build(url: str) -> dict[str, dict[str, Any]]:
    result = build_feed(INVENTORY_STOCK_STATUS, url)
    assert result.failures == []
    return {i["sku"]: without(i, "updatedAt") for i in result.items}


def stock_catalog(url: str) -> Catalog:
    """A managed low stock, an unmanaged one, and one following the configuration, out of stock."""
    catalog = Catalog(url)
    catalog.add_product("LOW", entity_id=1)
    catalog.add_product("FREE", entity_id=2)
    catalog.add_product("GONE", entity_id=3, in_stock=False)
    catalog.add_product("NOSTOCK", entity_id=4)
    rows: list[dict[str, Any]] = [
        dict(product_id=1, qty=5, min_qty=2, notify_stock_qty=10, manage_stock=1, use_config_manage_stock=0,
             is_in_stock=1),
        dict(product_id=2, qty=3, min_qty=0, notify_stock_qty=None, manage_stock=0, use_config_manage_stock=0,
             is_in_stock=1),
        dict(product_id=3, qty=0, min_qty=0, notify_stock_qty=None, manage_stock=0, use_config_manage_stock=1,
             is_in_stock=0),
    ]  # fmt: skip
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.cataloginventory_stock_item), [{**r, "stock_id": 1, "website_id": 0} for r in rows])
    return catalog


def test_stock_items_become_exact_items(source_url: str) -> None:
    # Given the stock catalog; when its inventory feed is built
    items = build(stock_catalog(source_url).url)
    # Then each stock item is one exact item; NOSTOCK, without a stock item, has none
    assert items == {
        "LOW": {"stockId": "1", "sku": "LOW", "productId": 1, "qty": 5.0, "qtyForSale": 3.0,
                "infiniteStock": False, "lowStock": True, "isSalable": True, "deleted": False},
        "FREE": {"stockId": "1", "sku": "FREE", "productId": 2, "qty": 3.0, "qtyForSale": 3.0,
                 "infiniteStock": True, "lowStock": False, "isSalable": True, "deleted": False},
        "GONE": {"stockId": "1", "sku": "GONE", "productId": 3, "qty": 0.0, "qtyForSale": 0.0,
                 "infiniteStock": False, "lowStock": True, "isSalable": False, "deleted": False},
    }  # fmt: skip


def test_the_configuration_decides_for_items_that_follow_it(make_db) -> None:
    # Given the stock catalog configured not to manage stock
    catalog = stock_catalog(make_db("sqlite"))
    with catalog.engine.begin() as conn:
        conn.execute(
            insert(s.core_config_data).values(
                scope="default", scope_id=0, path="cataloginventory/item_options/manage_stock", value="0"
            )
        )
    # When the feed is built, then GONE, which follows the configuration, has infinite stock
    assert build(catalog.url)["GONE"]["infiniteStock"] is True


def test_product_id_is_not_part_of_the_hash(make_db) -> None:
    # Given an item of the stock catalog, and the same item under another product id and build time
    catalog = stock_catalog(make_db("sqlite"))
    item = build_feed(INVENTORY_STOCK_STATUS, catalog.url).items[0]
    moved = {**item, "productId": 999, "updatedAt": "2000-01-01 00:00:00"}
    # Then both hash the same
    assert feed_hash(item, INVENTORY_STOCK_STATUS.hash_excludes) == feed_hash(
        moved, INVENTORY_STOCK_STATUS.hash_excludes
    )
    # and when the quantity changes, the item changes
    with catalog.engine.begin() as conn:
        conn.execute(
            update(s.cataloginventory_stock_item).where(s.cataloginventory_stock_item.c.product_id == 1).values(qty=6)
        )
    assert build(catalog.url)["LOW"]["qty"] == 6.0


def test_the_luma_stock(luma_url: str) -> None:
    # Given the real Luma database; when its inventory feed is built
    items = build(luma_url)
    # Then every product has its item, salable, a few of them low on stock
    assert len(items) == 2040
    assert Counter((i["isSalable"], i["infiniteStock"], i["lowStock"]) for i in items.values()) == {
        (True, False, False): 1891,
        (True, False, True): 149,
    }
    assert items["24-MB01"] == {
        "stockId": "1", "sku": "24-MB01", "productId": 1, "qty": 100.0, "qtyForSale": 100.0,
        "infiniteStock": False, "lowStock": False, "isSalable": True, "deleted": False,
    }  # fmt: skip
    assert type(items["24-MB01"]["productId"]) is int
