"""The orders feed (legacy): one item per sales order with its items."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert

from exporters.feeds import ORDERS
from exporters.source import schema as s
from tests.support.catalog import CREATED, UPDATED, Catalog
from tests.support.feeds import build_feed
from tests.support.items import without


def build(url: str):
    return build_feed(ORDERS, url)


def test_an_order_with_a_configurable_line_and_an_order_of_a_deleted_store(source_url: str) -> None:
    # Given order 7 with a configurable line and its child line, and order 8 of a deleted store view
    catalog = Catalog(source_url)
    money = {"grand_total": Decimal("41.5"), "subtotal": Decimal("32"), "tax_amount": Decimal("4.5"),
             "shipping_amount": Decimal("5"), "discount_amount": Decimal("0")}  # fmt: skip
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.sales_order), [
            {"entity_id": 7, "state": "new", "status": "pending", "store_id": 1, "customer_id": 3,
             "customer_email": "a@example.com", "increment_id": "100000007", "order_currency_code": "EUR",
             "created_at": CREATED, "updated_at": UPDATED, **money},
            {"entity_id": 8, "state": "canceled", "status": "canceled", "store_id": None, "customer_id": None,
             "customer_email": "guest@example.com", "increment_id": "100000008", "order_currency_code": "EUR",
             "created_at": CREATED, "updated_at": UPDATED, **money},
        ])  # fmt: skip
        conn.execute(insert(s.sales_order_item), [
            {"item_id": 70, "order_id": 7, "parent_item_id": None, "sku": "CFG-RED", "name": "Hoodie",
             "product_type": "configurable", "qty_ordered": Decimal("2"), "price": Decimal("16"),
             "row_total": Decimal("32"), "created_at": CREATED, "updated_at": UPDATED},
            {"item_id": 71, "order_id": 7, "parent_item_id": 70, "sku": "CFG-RED", "name": "Hoodie-Red",
             "product_type": "simple", "qty_ordered": Decimal("2"), "price": Decimal("0"),
             "row_total": Decimal("0"), "created_at": CREATED, "updated_at": UPDATED},
        ])  # fmt: skip
    # When the orders feed is built
    result = build(catalog.url)
    # Then the first is exact, its lines nested; the second has no view, website, customer or lines
    assert result.failures == []
    first, second = result.items
    assert first == {
        "commerceOrderId": "7", "commerceOrderNumber": "100000007", "createdAt": "2024-04-25 14:01:25",
        "updatedAt": "2024-05-02 09:30:00", "state": "new", "status": "pending", "grandTotal": 41.5,
        "subtotal": 32.0, "taxAmount": 4.5, "shippingAmount": 5.0, "discountAmount": 0.0, "currency": "EUR",
        "storeViewCode": "default", "websiteCode": "base", "customerId": "3", "customerEmail": "a@example.com",
        "deleted": False,
        "items": [
            {"itemId": "70", "sku": "CFG-RED", "name": "Hoodie", "productType": "configurable", "qty": 2.0,
             "price": 16.0, "rowTotal": 32.0, "parentItemId": None},
            {"itemId": "71", "sku": "CFG-RED", "name": "Hoodie-Red", "productType": "simple", "qty": 2.0,
             "price": 0.0, "rowTotal": 0.0, "parentItemId": "70"},
        ],
    }  # fmt: skip
    assert (second["storeViewCode"], second["websiteCode"], second["customerId"], second["items"]) == (
        None, None, None, [],
    )  # fmt: skip


def test_the_luma_orders(luma_url: str) -> None:
    # Given the real Luma database; when its orders feed is built
    result = build(luma_url)
    # Then it has its two orders, the first exactly as placed
    assert (len(result.items), result.failures) == (2, [])
    order = without(result.items[0], "updatedAt")
    assert order == {
        "commerceOrderId": "1", "commerceOrderNumber": "000000001", "createdAt": "2024-04-25 14:02:28",
        "state": "processing", "status": "processing", "grandTotal": 36.39, "subtotal": 29.0, "taxAmount": 2.39,
        "shippingAmount": 5.0, "discountAmount": 0.0, "currency": "USD", "storeViewCode": "default",
        "websiteCode": "base", "customerId": "1", "customerEmail": "customer1@example.com", "deleted": False,
        "items": [{"itemId": "1", "sku": "WS03-XS-Red", "name": "Iris Workout Top", "productType": "configurable",
                   "qty": 1.0, "price": 29.0, "rowTotal": 29.0, "parentItemId": None}],
    }  # fmt: skip
