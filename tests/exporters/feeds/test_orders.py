"""The orders feed (legacy): one item per sales order in Adobe's OrderV2 shape."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from exporters.feeds import ORDERS
from exporters.feeds.orders import custom_attributes, entity_uuid, rfc3339
from exporters.model import BuildResult
from exporters.sample_data import generate
from exporters.source import schema as s
from tests.support.catalog import CREATED, UPDATED, Catalog
from tests.support.feeds import build_feed

ORDER_UUID = "d5f994e0-78c1-585d-9f94-c0562a8906ae"
PARENT_LINE_UUID = "3cb525ce-3513-5cc8-9538-3e216475d479"
CHILD_LINE_UUID = "3d534551-05f7-53e5-8bf7-a1c7d5d70fa0"
MEMO_UUID = "6a4b17f4-6485-568b-b293-f45ae4f09d9c"
SHIPMENT_UUID = "c760f316-2c2f-5c52-bcf1-3b8fee417f20"
LUMA_OPTIONS = (
    '{"info_buyRequest":{"qty":1,"super_attribute":{"144":"166","93":"58"},"options":[]},"attributes_info":'
    '[{"label":"Size","value":"XS","option_id":144,"option_value":"166"},{"label":"Color","value":"Red",'
    '"option_id":93,"option_value":"58"}],"simple_name":"Iris Workout Top-XS-Red","simple_sku":"WS03-XS-Red",'
    '"product_calculations":1,"shipment_type":0}'
)
CREATED_AT, UPDATED_AT = "2024-04-25T14:01:25+00:00", "2024-05-02T09:30:00+00:00"


def build(url: str) -> BuildResult:
    return build_feed(ORDERS, url)


def _full_order(catalog: Catalog) -> None:
    """Order 7 in store view default: a configurable line (MH01) with its child line, billed and
    shipped, paid by check with one capture transaction, invoiced once, shipped once with a UPS
    track, and partly refunded by one credit memo with a comment. Base currency USD, order
    currency EUR (the order-currency columns hold other numbers, so a wrong column shows)."""
    parent = catalog.add_product("MH01", type_id="configurable")
    child = catalog.add_product("MH01-XS-Black")
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.sales_order), [
            {"entity_id": 7, "state": "processing", "status": "processing", "store_id": 1, "customer_id": 3,
             "customer_email": "a@example.com", "increment_id": "100000007", "base_currency_code": "USD",
             "order_currency_code": "EUR", "created_at": CREATED, "updated_at": UPDATED,
             "grand_total": Decimal("99"), "subtotal": Decimal("99"), "tax_amount": Decimal("9"),
             "shipping_amount": Decimal("9"), "discount_amount": Decimal("9"),
             "base_grand_total": Decimal("41.5"), "base_subtotal": Decimal("32"), "base_tax_amount": Decimal("4.5"),
             "base_shipping_amount": Decimal("5"), "base_shipping_tax_amount": Decimal("0.5"),
             "base_discount_amount": Decimal("-1"), "base_total_invoiced": Decimal("41.5"),
             "total_qty_ordered": Decimal("2"), "is_virtual": 0, "customer_note": "Leave at the door",
             "protect_code": "f00d1", "shipping_method": "flatrate_flatrate",
             "shipping_description": "Flat Rate - Fixed"},
        ])  # fmt: skip
        conn.execute(insert(s.sales_order_item), [
            {"item_id": 70, "order_id": 7, "parent_item_id": None, "product_id": parent, "sku": "MH01-XS-Black",
             "name": "Chaz Kangeroo Hoodie", "product_type": "configurable", "is_virtual": 0,
             "product_options": '{"info_buyRequest":{"qty":2}}', "weight": Decimal("1"), "additional_data": None,
             "qty_ordered": Decimal("2"), "qty_invoiced": Decimal("2"), "qty_shipped": Decimal("2"),
             "qty_refunded": Decimal("1"), "qty_canceled": Decimal("0"), "qty_backordered": None,
             "price": Decimal("20"), "base_price": Decimal("16"), "row_total": Decimal("40"),
             "base_row_total": Decimal("32"), "base_discount_amount": Decimal("1"),
             "base_tax_amount": Decimal("4.5"), "base_row_total_incl_tax": Decimal("36.5"),
             "created_at": CREATED, "updated_at": UPDATED},
            {"item_id": 71, "order_id": 7, "parent_item_id": 70, "product_id": child, "sku": "MH01-XS-Black",
             "name": "Chaz Kangeroo Hoodie-XS-Black", "product_type": "simple", "is_virtual": 0,
             "product_options": None, "weight": Decimal("1"), "additional_data": '{"gift":true,"note":"a/b"}',
             "qty_ordered": Decimal("2"), "qty_invoiced": Decimal("2"), "qty_shipped": Decimal("2"),
             "qty_refunded": Decimal("0"), "qty_canceled": Decimal("0"), "qty_backordered": Decimal("0"),
             "price": Decimal("0"), "base_price": Decimal("0"), "row_total": Decimal("0"),
             "base_row_total": Decimal("0"), "base_discount_amount": Decimal("0"), "base_tax_amount": Decimal("0"),
             "base_row_total_incl_tax": None, "created_at": CREATED, "updated_at": UPDATED},
        ])  # fmt: skip
        address = {"parent_id": 7, "region": "Texas", "postcode": "78701", "street": "1 Main St\nApt 2",
                   "city": "Austin", "telephone": "555-0100", "country_id": "US", "firstname": "Ann",
                   "lastname": "Lee"}  # fmt: skip
        conn.execute(insert(s.sales_order_address), [
            {"entity_id": 13, **address, "address_type": "shipping"},
            {"entity_id": 14, **address, "street": "9 Bill Rd", "telephone": None, "address_type": "billing"},
        ])  # fmt: skip
        conn.execute(insert(s.sales_order_payment).values(
            entity_id=21, parent_id=7, method="checkmo", base_amount_paid=Decimal("41.5"),
            base_amount_authorized=Decimal("41.5"), base_amount_refunded=Decimal("21"),
            base_amount_paid_online=None, base_amount_refunded_online=None, base_amount_canceled=None,
            additional_information='{"method_title":"Check / Money order","retries":2}',
        ))  # fmt: skip
        conn.execute(insert(s.sales_payment_transaction).values(
            transaction_id=5, order_id=7, payment_id=21, txn_id="txn-1", txn_type="capture", created_at=CREATED,
        ))  # fmt: skip
        conn.execute(insert(s.sales_invoice).values(
            entity_id=30, store_id=1, order_id=7, increment_id="000000030", base_grand_total=Decimal("41.5"),
            grand_total=Decimal("99"), is_used_for_refund=1, state=2, created_at=CREATED, updated_at=UPDATED,
        ))  # fmt: skip
        conn.execute(insert(s.sales_invoice_item), [
            {"entity_id": 31, "parent_id": 30, "order_item_id": 70, "qty": Decimal("2")},
            {"entity_id": 32, "parent_id": 30, "order_item_id": 71, "qty": Decimal("2")},
        ])  # fmt: skip
        conn.execute(insert(s.sales_shipment).values(
            entity_id=40, store_id=1, order_id=7, increment_id="000000040", total_qty=Decimal("2"),
            created_at=CREATED, updated_at=UPDATED,
        ))  # fmt: skip
        conn.execute(insert(s.sales_shipment_item).values(entity_id=41, parent_id=40, order_item_id=70, qty=2))
        conn.execute(insert(s.sales_shipment_track).values(
            entity_id=50, parent_id=40, order_id=7, track_number="1Z999", title="United Parcel Service",
            carrier_code="ups", created_at=CREATED, updated_at=UPDATED,
        ))  # fmt: skip
        conn.execute(insert(s.sales_creditmemo).values(
            entity_id=60, store_id=1, order_id=7, increment_id="000000060", state=2,
            base_adjustment=Decimal("0"), base_shipping_amount=Decimal("5"), base_shipping_tax_amount=Decimal("0"),
            base_subtotal=Decimal("16"), base_tax_amount=Decimal("0"), base_grand_total=Decimal("21"),
            grand_total=Decimal("99"), base_currency_code="USD", created_at=UPDATED, updated_at=UPDATED,
        ))  # fmt: skip
        conn.execute(insert(s.sales_creditmemo_item).values(
            entity_id=61, parent_id=60, order_item_id=70, qty=Decimal("1"), base_price=Decimal("16"),
            base_discount_amount=Decimal("1"),
        ))  # fmt: skip
        conn.execute(insert(s.sales_order_tax).values(
            tax_id=80, order_id=7, code="US-TX", title="US-TX-*-Rate 1", percent=Decimal("8.25"),
            amount=Decimal("6"), base_amount=Decimal("5"), priority=0, position=0, process=0,
        ))  # fmt: skip
        tax_line = {"tax_id": 80, "tax_percent": Decimal("8.25"), "real_amount": Decimal("0"),
                    "real_base_amount": Decimal("0"), "associated_item_id": None}  # fmt: skip
        conn.execute(insert(s.sales_order_tax_item), [
            {"tax_item_id": 81, **tax_line, "item_id": 70, "amount": Decimal("5.4"), "base_amount": Decimal("4.5"),
             "taxable_item_type": "product"},
            {"tax_item_id": 82, **tax_line, "item_id": None, "amount": Decimal("0.6"), "base_amount": Decimal("0.5"),
             "taxable_item_type": "shipping"},
        ])  # fmt: skip
        conn.execute(insert(s.sales_creditmemo_comment).values(
            entity_id=62, parent_id=60, comment="Damaged in transit", is_visible_on_front=0, created_at=UPDATED,
        ))  # fmt: skip


def test_an_order_with_every_part_is_adobes_order_v2(source_url: str) -> None:
    # Given order 7 with a configurable line, addresses, payment, transaction, invoice, shipment, credit memo
    catalog = Catalog(source_url)
    _full_order(catalog)
    # When the orders feed is built
    result = build(catalog.url)
    # Then the item is Adobe's record: base-currency money, integer state, RFC 3339 dates, nested records
    assert result.failures == []
    address = {"region": "Texas", "postcode": "78701", "city": "Austin", "country": "US", "firstname": "Ann",
               "lastname": "Lee"}  # fmt: skip
    assert result.items == [{
        "orderId": {"id": ORDER_UUID},
        "commerceOrderId": "7",
        "commerceOrderNumber": "100000007",
        "externalId": {"id": "7", "salesChannel": "magento"},
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
        "state": 3,
        "status": "processing",
        "totalInvoiced": 41.5,
        "totalQtyOrdered": 2.0,
        "isVirtual": False,
        "subtotal": 32.0,
        "grandTotal": 41.5,
        "discountAmount": -1.0,
        "currency": "USD",
        "amountAuthorized": 41.5,
        "amountPaid": 41.5,
        "amountRefunded": 21.0,
        "storeViewCode": "default",
        "storeCode": "main_website_store",
        "websiteCode": "base",
        "storeId": 1,
        "customerId": 3,
        "customerEmail": "a@example.com",
        "customerNote": "Leave at the door",
        "payment": {
            "billingAddress": {**address, "street": "9 Bill Rd", "multiLineStreet": ["9 Bill Rd"]},
            "paymentMethodName": "Check / Money order",
            "paymentMethodCode": "checkmo",
            "totalAmount": 32.0,
            "taxAmount": 4.5,
            "currency": "USD",
        },
        "shipping": {
            "shippingAddress": {**address, "phone": "555-0100", "street": "1 Main St\nApt 2",
                                "multiLineStreet": ["1 Main St", "Apt 2"]},
            "shippingMethodName": "Flat Rate - Fixed",
            "shippingMethodCode": "flatrate_flatrate",
            "shippingAmount": 5.0,
            "shippingTax": 0.5,
        },
        "items": [
            {"itemId": {"id": PARENT_LINE_UUID}, "entityId": "70", "isVirtual": False, "qtyInvoiced": 2.0,
             "qtyShipped": 2.0, "qtyOrdered": 2.0, "qtyRefunded": 1.0, "qtyCanceled": 0.0,
             "productType": "configurable", "productOptions": '{"info_buyRequest":{"qty":2}}',
             "itemsShippedTogether": True, "sku": "MH01-XS-Black", "productSku": "MH01",
             "name": "Chaz Kangeroo Hoodie", "qty": 2, "unitPrice": 16.0, "itemPrice": 32.0, "discountAmount": 1.0,
             "taxAmount": 4.5, "totalAmount": 36.5, "weight": 1.0, "updatedAt": UPDATED_AT,
             "additionalInformation": None},
            {"itemId": {"id": CHILD_LINE_UUID}, "entityId": "71", "parentEntityId": "70", "isVirtual": False,
             "qtyInvoiced": 2.0, "qtyShipped": 2.0, "qtyBackordered": 0.0, "qtyOrdered": 2.0, "qtyRefunded": 0.0,
             "qtyCanceled": 0.0, "productType": "simple", "itemsShippedTogether": False, "sku": "MH01-XS-Black",
             "productSku": "MH01-XS-Black", "name": "Chaz Kangeroo Hoodie-XS-Black", "qty": 2, "unitPrice": 0.0,
             "itemPrice": 0.0, "discountAmount": 0.0, "taxAmount": 0.0, "weight": 1.0, "updatedAt": UPDATED_AT,
             "additionalInformation": [{"name": "gift", "value": "true"}, {"name": "note", "value": "a/b"}]},
        ],
        "invoices": [{
            "entityId": "30", "isUsedForRefund": True, "grandTotal": 41.5, "createdAt": CREATED_AT,
            "commerceInvoiceNumber": "000000030",
            "invoiceItems": [{"orderItemId": {"id": PARENT_LINE_UUID}, "qtyInvoiced": 2.0},
                             {"orderItemId": {"id": CHILD_LINE_UUID}, "qtyInvoiced": 2.0}],
        }],
        "creditMemos": [{
            "creditMemoId": {"id": MEMO_UUID}, "entityId": "60", "state": 2, "createdAt": UPDATED_AT,
            "creditMemoComments": ["Damaged in transit"], "shippingAmount": 5.0, "shippingTaxAmount": 0.0,
            "adjustment": 0.0, "currency": "USD",
            "refundTaxes": [{"taxName": "US-TX-*-Rate 1", "taxType": "product", "taxAmount": 5.0},
                            {"taxName": "US-TX-*-Rate 1", "taxType": "shipping", "taxAmount": 5.0}],
            "subtotal": 16.0, "productsTaxAmount": 0.0, "grandTotal": 21.0,
            "commerceCreditMemoNumber": "000000060",
            "refundItems": [{"orderItemId": {"id": PARENT_LINE_UUID}, "qtyRefunded": 1.0, "basePrice": 16.0,
                             "baseRowTotal": 15.0,
                             "productTaxes": [{"taxName": "US-TX-*-Rate 1", "taxType": "product",
                                               "taxAmount": 5.4}]}],
        }],
        "transactions": [{"entityId": "5", "txnId": "txn-1", "type": "capture", "createdAt": CREATED_AT}],
        "shipments": [{
            "shipmentId": {"id": SHIPMENT_UUID}, "createdAt": CREATED_AT, "updatedAt": UPDATED_AT,
            "trackingInfo": {"shippingCarrier": "ups", "shippingMethod": "flatrate_flatrate",
                             "trackingNumber": "1Z999",
                             "trackingUrl": "http://magento.test/shipping/tracking/popup?hash=dHJhY2tfaWQ6NTA6ZjAwZDE%2C"},
            "commerceShipmentNumber": "000000040",
            "items": [{"orderItemId": {"id": PARENT_LINE_UUID}, "qtyShipped": 2.0}],
        }],
        "additionalInformation": [{"name": "method_title", "value": "Check / Money order"},
                                  {"name": "retries", "value": "2"}],
        "deleted": False,
    }]  # fmt: skip


def test_a_bare_order_of_a_deleted_store_view_leaves_out_what_it_lacks(source_url: str) -> None:
    # Given order 8 of a deleted store view (store_id NULL), a guest, no lines, no payment, no documents
    catalog = Catalog(source_url)
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.sales_order).values(
            entity_id=8, state="canceled", status="canceled", store_id=None, customer_id=None,
            customer_email="guest@example.com", increment_id="100000008", created_at=CREATED, updated_at=UPDATED,
        ))  # fmt: skip
    # When the orders feed is built
    result = build(catalog.url)
    # Then NULL plain fields are left out, and provider fields are there, null when empty
    assert result.failures == []
    assert result.items == [{
        "orderId": {"id": "23d3b30f-ad5c-531b-8a9d-207ef5e0c1b1"}, "commerceOrderId": "8",
        "commerceOrderNumber": "100000008", "externalId": {"id": "8", "salesChannel": "magento"},
        "createdAt": CREATED_AT, "updatedAt": UPDATED_AT, "state": 6, "status": "canceled",
        "customerEmail": "guest@example.com",
        "payment": {"billingAddress": None}, "shipping": {"shippingAddress": None},
        "items": None, "invoices": None, "creditMemos": None, "transactions": None, "shipments": None,
        "additionalInformation": None, "deleted": False,
    }]  # fmt: skip


def test_states_map_to_adobes_numbers_and_an_unknown_one_to_zero(source_url: str) -> None:
    # Given orders in each Magento state and one in a state Adobe does not know
    catalog = Catalog(source_url)
    states = ["new", "pending_payment", "processing", "complete", "closed", "canceled", "holded",
              "payment_review", "fraud"]  # fmt: skip
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.sales_order), [
            {"entity_id": n, "state": state, "status": state, "increment_id": f"{n:09d}", "created_at": CREATED,
             "updated_at": UPDATED} for n, state in enumerate(states, start=1)
        ])  # fmt: skip
    # When the orders feed is built
    result = build(catalog.url)
    # Then state is Adobe's integer enum
    assert [item["state"] for item in result.items] == [1, 2, 3, 4, 5, 6, 7, 8, 0]


def test_malformed_additional_information_fails_only_its_order(source_url: str) -> None:
    # Given order 1 whose payment's additional_information is not JSON, and a sound order 2
    catalog = Catalog(source_url)
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.sales_order), [
            {"entity_id": n, "state": "new", "status": "pending", "increment_id": f"{n:09d}", "created_at": CREATED,
             "updated_at": UPDATED} for n in (1, 2)
        ])  # fmt: skip
        conn.execute(insert(s.sales_order_payment).values(parent_id=1, method="checkmo",
                                                            additional_information="a:1:{s:1:\"x\";}"))  # fmt: skip
    # When the orders feed is built
    result = build(catalog.url)
    # Then order 1 is a failure naming it, order 2 is built
    assert [(f.source_id, f.identity) for f in result.failures] == [(1, {"commerceOrderId": "1"})]
    assert result.failures[0].error.startswith("order 1: ")
    assert [item["commerceOrderId"] for item in result.items] == ["2"]


def test_ids_dates_and_custom_attributes_are_derived_as_documented() -> None:
    # Given the derivations the feed relies on; when applied; then they give fixed values
    assert entity_uuid("order", 7) == ORDER_UUID
    assert entity_uuid("order_item", 7) != ORDER_UUID
    assert rfc3339("2024-04-25 14:01:25") == CREATED_AT
    assert rfc3339(None) is None
    assert custom_attributes('{"a":"x","b":[1,"/"],"c":null}') == [
        {"name": "a", "value": "x"}, {"name": "b", "value": '[1,"\\/"]'}, {"name": "c", "value": "null"},
    ]  # fmt: skip
    assert custom_attributes("{}") is None


def test_a_sample_catalog_s_orders_carry_their_documents(tmp_path: Path) -> None:
    # Given the small sample catalog (200 products, seed 0): 14 orders in every state
    url = f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    generate(url, "small", products=200, seed=0)
    # When its orders feed is built
    result = build(url)
    # Then every order is valid, states follow the order flow and each kind of document is there
    assert (len(result.items), result.failures) == (14, [])
    assert Counter(item["state"] for item in result.items) == {4: 5, 3: 3, 6: 3, 1: 2, 5: 1}
    kinds = ("invoices", "shipments", "creditMemos", "transactions", "additionalInformation")
    assert [sum(1 for item in result.items if item[kind]) for kind in kinds] == [9, 6, 1, 5, 14]
    tracked = [s["trackingInfo"] for item in result.items for s in item["shipments"] or []]
    assert len(tracked) == 6 and all(t["trackingUrl"].startswith("http://magento.test/shipping/") for t in tracked)


def test_the_luma_orders(luma_url: str) -> None:
    # Given the real Luma database: two orders with their lines, and no address, payment, invoice,
    # shipment or credit memo tables in the dump
    # When its orders feed is built
    result = build(luma_url)
    # Then it has its two orders, the first exactly as placed
    assert (len(result.items), result.failures) == (2, [])
    order = result.items[0]
    assert {k: v for k, v in order.items() if k not in ("updatedAt", "items")} == {
        "orderId": {"id": entity_uuid("order", 1)}, "commerceOrderId": "1", "commerceOrderNumber": "000000001",
        "externalId": {"id": "1", "salesChannel": "magento"}, "createdAt": "2024-04-25T14:02:28+00:00",
        "state": 3, "status": "processing", "totalInvoiced": 36.39, "totalQtyOrdered": 1.0, "isVirtual": False,
        "subtotal": 29.0, "grandTotal": 36.39, "discountAmount": 0.0, "currency": "USD", "storeViewCode": "default",
        "storeCode": "main_website_store", "websiteCode": "base", "storeId": 1, "customerId": 1,
        "customerEmail": "customer1@example.com",
        "payment": {"billingAddress": None, "totalAmount": 29.0, "taxAmount": 2.39, "currency": "USD"},
        "shipping": {"shippingAddress": None, "shippingMethodName": "Flat Rate - Fixed",
                     "shippingMethodCode": "flatrate_flatrate", "shippingAmount": 5.0, "shippingTax": 0.0},
        "invoices": None, "creditMemos": None, "transactions": None, "shipments": None,
        "additionalInformation": None, "deleted": False,
    }  # fmt: skip
    assert order["items"] == [{
        "itemId": {"id": entity_uuid("order_item", 1)}, "entityId": "1", "qtyInvoiced": 1.0, "qtyShipped": 1.0,
        "qtyOrdered": 1.0, "qtyRefunded": 0.0, "qtyCanceled": 0.0, "productType": "configurable",
        "productOptions": LUMA_OPTIONS, "itemsShippedTogether": True, "sku": "WS03-XS-Red", "productSku": "WS03",
        "name": "Iris Workout Top", "qty": 1, "unitPrice": 29.0, "itemPrice": 29.0, "discountAmount": 0.0,
        "taxAmount": 2.39, "totalAmount": 31.39, "weight": 1.0, "updatedAt": "2024-04-25T14:02:28+00:00",
        "additionalInformation": None,
    }]  # fmt: skip
    # and the second, closed, is state 5
    assert result.items[1]["state"] == 5
