"""Legacy CatalogInventory rows: the single default stock (stock_id 1, website_id 0).

A share of simple products is out of stock with qty 0, and a few do not manage stock at all
(always salable whatever the qty), which is how Magento stores "Manage Stock: No". Every
``LOW_STOCK_EVERY``-th product in stock has 1 to ``LOW_STOCK_THRESHOLD`` units (the last one
exactly at the threshold, which is not low), chosen by its ordinal so no random draw is added.
"""

from __future__ import annotations

from decimal import Decimal

from exporters.sample_data.context import Context
from exporters.sample_data.model import Product
from exporters.sample_data.store_config import LOW_STOCK_THRESHOLD
from exporters.source import schema as s

STOCK_ID = 1
OUT_OF_STOCK_SHARE, UNMANAGED_SHARE = 0.05, 0.03
LOW_STOCK_EVERY = 20


def write_stock(ctx: Context, p: Product) -> None:
    rng, w = ctx.rng, ctx.writer
    if p.type_id == "configurable":
        qty, in_stock, managed = 0, True, True
    else:
        out = rng.random() < OUT_OF_STOCK_SHARE
        qty = 0 if out else rng.randint(1, 1000)
        if not out and p.ordinal % LOW_STOCK_EVERY == 0:
            qty = 1 + (p.ordinal // LOW_STOCK_EVERY) % LOW_STOCK_THRESHOLD
        managed = rng.random() >= UNMANAGED_SHARE
        in_stock = not out or not managed
    w.add(
        s.cataloginventory_stock_item,
        {
            "item_id": w.next_id(s.cataloginventory_stock_item),
            "product_id": p.entity_id,
            "stock_id": STOCK_ID,
            "qty": Decimal(qty),
            "min_qty": Decimal(0),
            "is_in_stock": int(in_stock),
            "notify_stock_qty": Decimal(1),
            "manage_stock": int(managed),
            "use_config_manage_stock": int(managed),
            "website_id": 0,
        },
    )
    w.add(
        s.cataloginventory_stock_status,
        {
            "product_id": p.entity_id,
            "website_id": 0,
            "stock_id": STOCK_ID,
            "qty": Decimal(qty),
            "stock_status": int(in_stock),
        },
    )
