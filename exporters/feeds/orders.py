"""The orders feed (legacy mode): one item per sales order, with its items.

Decisions where the contract is silent (docs/orders-feed.md): ids are strings, amounts numbers,
``currency`` the order currency, ``qty`` the ordered quantity; an order of a deleted store view
keeps null store codes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from exporters.clock import format_datetime
from exporters.feeds.base import SCOPE_TABLES, FeedSpec
from exporters.model import BuildResult, Item
from exporters.source import MagentoSource
from exporters.source.schema import id_between, sales_order, sales_order_item


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


def build_orders(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every orders item for order ids ``lo..hi`` (inclusive)."""
    o, i = sales_order, sales_order_item
    with source.connect() as conn:
        orders = conn.execute(select(o).where(id_between(o.c.entity_id, lo, hi)).order_by(o.c.entity_id)).all()
        lines: dict[int, list[Item]] = defaultdict(list)
        for row in conn.execute(select(i).where(id_between(i.c.order_id, lo, hi)).order_by(i.c.item_id)):
            lines[row.order_id].append(
                {
                    "itemId": str(row.item_id),
                    "sku": row.sku,
                    "name": row.name,
                    "productType": row.product_type,
                    "qty": _number(row.qty_ordered),
                    "price": _number(row.price),
                    "rowTotal": _number(row.row_total),
                    "parentItemId": _id(row.parent_item_id),
                }
            )
    views = source.scopes.store_views
    result = BuildResult()
    for row in orders:
        view = views.get(row.store_id) if row.store_id is not None else None
        result.items.append(
            {
                "commerceOrderId": str(row.entity_id),
                "commerceOrderNumber": row.increment_id,
                "createdAt": format_datetime(row.created_at),
                "updatedAt": format_datetime(row.updated_at),
                "state": row.state,
                "status": row.status,
                "grandTotal": _number(row.grand_total),
                "subtotal": _number(row.subtotal),
                "taxAmount": _number(row.tax_amount),
                "shippingAmount": _number(row.shipping_amount),
                "discountAmount": _number(row.discount_amount),
                "currency": row.order_currency_code,
                "storeViewCode": view.code if view else None,
                "websiteCode": view.website_code if view else None,
                "customerId": _id(row.customer_id),
                "customerEmail": row.customer_email,
                "items": lines.get(row.entity_id, []),
                "deleted": False,
            }
        )
    return result


ORDERS = FeedSpec(
    name="orders",
    summary="Sales Orders Feed",
    mode="legacy",
    table="sales_data_exporter_orders_v2",
    identity=("commerceOrderId",),
    minimal_payload=("commerceOrderId", "commerceOrderNumber", "storeViewCode"),
    source_key="commerceOrderId",
    source_ids=sales_order.c.entity_id,
    builder=build_orders,
    schema_file="orders.json",
    reads=(*SCOPE_TABLES, "sales_order", "sales_order_item"),
)
