"""The orders feed (legacy mode): one item per sales order, in Adobe's ``OrderV2`` record shape.

The shape, names and value sources are those of ``SalesOrdersDataExporter`` (``etc/et_schema.xml``,
``etc/query.xml``, ``Model/Provider``; docs/orders-feed.md). Values are cast as Adobe's
``Transformer`` casts them, and presence follows it too: a plain field whose column is NULL is
left out, while a field Adobe fills through a provider (ids, dates, nested records and lists) is
always there, null when it has nothing (Adobe's "empty list is null"). Money is the base
currency, as Adobe reads the ``base_*`` columns.

Adobe's ids for orders, items, credit memos and shipments are random UUIDs kept in its own
``data_exporter_uuid`` table, written by plugins on save. We read the shop and never write it,
so we send UUIDv5 values derived from the entity type and id: stable across resyncs, workers and
chunkings, which is what Commerce Services needs of them (docs/orders-feed.md "Ids").

A chunk runs a fixed number of bulk queries, one per table, whatever its number of orders. A
table the database lacks (a trimmed dump) reads as empty here; a resync still refuses such a
database up front because every table is in the feed's ``reads``.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Row, Select, Table, inspect, select

from exporters.feeds.base import SCOPE_TABLES, FeedSpec
from exporters.model import BuildResult, Item, ItemFailure
from exporters.source import MagentoSource
from exporters.source import schema as s
from exporters.source.schema import id_between

#: Magento's order state codes as Adobe's ``Provider\\State`` numbers them; others are 0.
STATES: dict[str, int] = {
    "new": 1,
    "pending_payment": 2,
    "processing": 3,
    "complete": 4,
    "closed": 5,
    "canceled": 6,
    "holded": 7,
    "payment_review": 8,
    "RECEIVED": 9,
    "REJECTED": 10,
}
UNKNOWN_STATE = 0
#: ``ExternalOrderId::DEFAULT_SALES_CHANNEL``.
SALES_CHANNEL = "magento"
#: Line types whose ``productSku`` is the ordered product's own SKU (``OrderItemProductSku``).
PARENT_TYPES = ("configurable", "bundle")
#: The namespace of every UUID this feed derives (uuid5 of the entity kind and id).
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://saas-export.local/feeds/orders")


def entity_uuid(kind: str, entity_id: int) -> str:
    """The id Adobe keeps in ``data_exporter_uuid`` for (``kind``, ``entity_id``), derived instead.

    ``kind`` is Adobe's uuid type: ``order``, ``order_item``, ``credit_memo``, ``order_shipment``.
    """
    return str(uuid.uuid5(UUID_NAMESPACE, f"{kind}:{entity_id}"))


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _float(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _int(value: Decimal | float | int | str | None) -> int | None:
    """PHP's ``(int)``: a decimal column's value truncated toward zero."""
    return None if value is None else int(Decimal(str(value)))


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(int(value))


def rfc3339(value: datetime | str | None) -> str | None:
    """A stored UTC date as Adobe's ``DateConverter`` writes it (``DateTimeInterface::RFC3339``)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):  # SQLite can hand back text for DATETIME columns
        value = datetime.fromisoformat(value)
    value = value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _present(**fields: Any) -> Item:
    """A record's plain fields without the NULL ones, as the Transformer leaves them out."""
    return {k: v for k, v in fields.items() if v is not None}


def _php_json(value: Any) -> str:
    """PHP ``json_encode`` of a decoded value: compact, ASCII, slashes escaped."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/")


def custom_attributes(raw: str | None) -> list[Item] | None:
    """``CustomAttribute`` records from a JSON object column (``Provider\\CustomAttribute``).

    String values are sent as they are, any other value as its JSON text. A value that is not
    JSON raises ``ValueError``: the item fails, as Adobe's unserialize fails the batch.
    """
    if raw is None:
        return None
    decoded = json.loads(raw)
    if decoded is None:
        return None
    if isinstance(decoded, list):
        decoded = {str(i): v for i, v in enumerate(decoded)}
    if not isinstance(decoded, dict):
        raise ValueError(f"additional information is not a JSON object: {raw[:80]!r}")
    records = [{"name": str(k), "value": v if isinstance(v, str) else _php_json(v)} for k, v in decoded.items()]
    return records or None


def items_shipped_together(product_type: str | None, product_options: str | None) -> bool:
    """``OrderItemAdjustment``: a configurable line, or a bundle shipped together (shipment_type 0)."""
    if product_type is None or product_options is None:
        return False
    if product_type == "configurable":
        return True
    if product_type == "bundle":
        options = json.loads(product_options)
        return isinstance(options, dict) and "shipment_type" in options and _int(options["shipment_type"]) == 0
    return False


def tracking_url(base: str, track_id: int, protect_code: str | None) -> str:
    """The storefront's tracking popup URL (``Provider\\TrackingUrl``, Magento's ``Url\\Encoder``)."""
    key = base64.b64encode(f"track_id:{track_id}:{protect_code or ''}".encode()).decode()
    hashed = key.translate(str.maketrans("+/=", "-_,"))
    return f"{base}shipping/tracking/popup?hash={quote(hashed, safe='-_.')}"


class _StoreUrls:
    """The base link URL of each store view (``core_config_data``, which the source reads once)."""

    def __init__(self, source: MagentoSource) -> None:
        self.source = source
        self.cache: dict[int | None, str] = {}

    def __call__(self, store_id: int | None) -> str:
        if store_id not in self.cache:
            value = self.source.config_value
            secure = value("web/secure/use_in_frontend", store_id) == "1"
            scheme = "secure" if secure else "unsecure"
            link = value(f"web/{scheme}/base_link_url", store_id) or value(f"web/{scheme}/base_url", store_id) or ""
            for placeholder, path in (
                ("{{unsecure_base_url}}", "web/unsecure/base_url"),
                ("{{secure_base_url}}", "web/secure/base_url"),
            ):
                if placeholder in link:
                    link = link.replace(placeholder, value(path, store_id) or "")
            self.cache[store_id] = link
        return self.cache[store_id]


class _Reader:
    """One chunk's bulk reads, each a single query over the order id range."""

    def __init__(self, conn: Connection, lo: int, hi: int) -> None:
        self.conn, self.lo, self.hi = conn, lo, hi
        self.tables = set(inspect(conn).get_table_names())

    def rows(self, query: Select[Any], *tables: Table) -> list[Row[Any]]:
        """The rows of ``query``; none when the database lacks one of ``tables``."""
        if any(t.name not in self.tables for t in tables):
            return []
        return list(self.conn.execute(query))

    def by_order(self, table: Table, order_column: str = "order_id") -> dict[int, list[Row[Any]]]:
        column = table.c[order_column]
        grouped: dict[int, list[Row[Any]]] = defaultdict(list)
        pk = list(table.primary_key.columns)
        for row in self.rows(select(table).where(id_between(column, self.lo, self.hi)).order_by(*pk), table):
            grouped[row._mapping[order_column]].append(row)
        return grouped

    def children(self, child: Table, parent: Table) -> dict[int, list[Row[Any]]]:
        """Rows of ``child`` by ``parent_id``, for the parents of the chunk's orders."""
        grouped: dict[int, list[Row[Any]]] = defaultdict(list)
        query = (
            select(child)
            .join(parent, parent.c.entity_id == child.c.parent_id)
            .where(id_between(parent.c.order_id, self.lo, self.hi))
            .order_by(*child.primary_key.columns)
        )
        for row in self.rows(query, child, parent):
            grouped[row.parent_id].append(row)
        return grouped


def _address(row: Row[Any] | None) -> Item | None:
    if row is None:
        return None
    street = row.street
    return {
        **_present(
            phone=row.telephone,
            region=row.region,
            postcode=row.postcode,
            street=street,
            city=row.city,
            country=row.country_id,
            firstname=row.firstname,
            lastname=row.lastname,
        ),
        "multiLineStreet": street.split("\n") if street is not None else None,
    }


def _order_item(row: Row[Any], product_skus: Mapping[int, str]) -> Item:
    return {
        "itemId": {"id": entity_uuid("order_item", row.item_id)},
        **_present(
            entityId=_str(row.item_id),
            parentEntityId=_str(row.parent_item_id),
            isVirtual=_bool(row.is_virtual),
            qtyInvoiced=_float(row.qty_invoiced),
            qtyShipped=_float(row.qty_shipped),
            qtyBackordered=_float(row.qty_backordered),
            qtyOrdered=_float(row.qty_ordered),
            qtyRefunded=_float(row.qty_refunded),
            qtyCanceled=_float(row.qty_canceled),
            productType=row.product_type,
            productOptions=row.product_options,
        ),
        "itemsShippedTogether": items_shipped_together(row.product_type, row.product_options),
        **_present(sku=row.sku),
        "productSku": product_skus.get(row.item_id, row.sku),
        **_present(
            name=row.name,
            qty=_int(row.qty_ordered),
            unitPrice=_float(row.base_price),
            itemPrice=_float(row.base_row_total),
            discountAmount=_float(row.base_discount_amount),
            taxAmount=_float(row.base_tax_amount),
            totalAmount=_float(row.base_row_total_incl_tax),
            weight=_float(row.weight),
        ),
        "updatedAt": rfc3339(row.updated_at),
        "additionalInformation": custom_attributes(row.additional_data),
    }


def _order_item_ref(order_item_id: int | None) -> Item | None:
    return None if order_item_id is None else {"id": entity_uuid("order_item", order_item_id)}


def _invoice(row: Row[Any], lines: list[Row[Any]]) -> Item:
    return {
        **_present(
            entityId=_str(row.entity_id),
            isUsedForRefund=_bool(row.is_used_for_refund),
            grandTotal=_float(row.base_grand_total),
        ),
        "createdAt": rfc3339(row.created_at),
        **_present(commerceInvoiceNumber=row.increment_id),
        "invoiceItems": [
            {"orderItemId": _order_item_ref(line.order_item_id), **_present(qtyInvoiced=_float(line.qty))}
            for line in lines
        ]
        or None,
    }


class _Taxes:
    """An order's taxes (``sales_order_tax``) and their per-line amounts (``sales_order_tax_item``)."""

    def __init__(self, taxes: list[Row[Any]], tax_items: list[Row[Any]]) -> None:
        self.taxes = taxes
        self.items_of: dict[int, list[Row[Any]]] = defaultdict(list)
        for item in tax_items:
            self.items_of[item.tax_id].append(item)

    def refund_taxes(self) -> list[Item] | None:
        """``refundTaxes``: each tax of the order once per type of what it taxed (product, shipping)."""
        records = []
        for tax in self.taxes:
            for kind in sorted({i.taxable_item_type for i in self.items_of[tax.tax_id]}):
                records.append(_present(taxName=tax.title, taxType=kind, taxAmount=_float(tax.base_amount)))
        return records or None

    def product_taxes(self, order_item_id: int | None) -> list[Item] | None:
        """``productTaxes``: the taxes charged on the order line a refund line refunds."""
        records = [
            _present(taxName=tax.title, taxType=item.taxable_item_type, taxAmount=_float(item.amount))
            for tax in self.taxes
            for item in self.items_of[tax.tax_id]
            if order_item_id is not None and item.item_id == order_item_id
        ]
        return records or None


def _refund_item(row: Row[Any], taxes: _Taxes) -> Item:
    qty, price, discount = (Decimal(str(v or 0)) for v in (row.qty, row.base_price, row.base_discount_amount))
    return {
        "orderItemId": _order_item_ref(row.order_item_id),
        **_present(qtyRefunded=_float(row.qty), basePrice=_float(row.base_price)),
        "baseRowTotal": float(qty * price - discount),
        "productTaxes": taxes.product_taxes(row.order_item_id),
    }


def _credit_memo(row: Row[Any], lines: list[Row[Any]], comments: list[Row[Any]], taxes: _Taxes) -> Item:
    texts = [c.comment for c in comments if c.comment is not None]
    return {
        "creditMemoId": {"id": entity_uuid("credit_memo", row.entity_id)},
        **_present(entityId=_str(row.entity_id), state=_int(row.state)),
        "createdAt": rfc3339(row.created_at),
        "creditMemoComments": texts or None,
        **_present(
            shippingAmount=_float(row.base_shipping_amount),
            shippingTaxAmount=_float(row.base_shipping_tax_amount),
            adjustment=_float(row.base_adjustment),
            currency=row.base_currency_code,
        ),
        "refundTaxes": taxes.refund_taxes(),
        **_present(
            subtotal=_float(row.base_subtotal),
            productsTaxAmount=_float(row.base_tax_amount),
            grandTotal=_float(row.base_grand_total),
            commerceCreditMemoNumber=row.increment_id,
        ),
        "refundItems": [_refund_item(line, taxes) for line in lines] or None,
    }


def _shipment(row: Row[Any], lines: list[Row[Any]], track: Item | None) -> Item:
    return {
        "shipmentId": {"id": entity_uuid("order_shipment", row.entity_id)},
        "createdAt": rfc3339(row.created_at),
        "updatedAt": rfc3339(row.updated_at),
        "trackingInfo": track,
        **_present(commerceShipmentNumber=row.increment_id),
        "items": [
            {"orderItemId": _order_item_ref(line.order_item_id), **_present(qtyShipped=_float(line.qty))}
            for line in lines
        ]
        or None,
    }


def _transaction(row: Row[Any]) -> Item:
    return {
        **_present(entityId=_str(row.transaction_id), txnId=row.txn_id, type=row.txn_type),
        "createdAt": rfc3339(row.created_at),
    }


def build_orders(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every orders item for order ids ``lo..hi`` (inclusive)."""
    o, i, cpe = s.sales_order, s.sales_order_item, s.catalog_product_entity
    with source.connect() as conn:
        read = _Reader(conn, lo, hi)
        orders = read.rows(select(o).where(id_between(o.c.entity_id, lo, hi)).order_by(o.c.entity_id), o)
        lines = read.by_order(i)
        product_skus: dict[int, str] = {
            row.item_id: row.sku
            for row in read.rows(
                select(i.c.item_id, cpe.c.sku)
                .distinct()
                .join(cpe, cpe.c.entity_id == i.c.product_id)
                .where(id_between(i.c.order_id, lo, hi), i.c.product_type.in_(PARENT_TYPES)),
                i,
                cpe,
            )
            if row.sku is not None
        }
        addresses = read.by_order(s.sales_order_address, "parent_id")
        payments = read.by_order(s.sales_order_payment, "parent_id")
        invoices = read.by_order(s.sales_invoice)
        invoice_lines = read.children(s.sales_invoice_item, s.sales_invoice)
        memos = read.by_order(s.sales_creditmemo)
        memo_lines = read.children(s.sales_creditmemo_item, s.sales_creditmemo)
        memo_comments = read.children(s.sales_creditmemo_comment, s.sales_creditmemo)
        shipments = read.by_order(s.sales_shipment)
        shipment_lines = read.children(s.sales_shipment_item, s.sales_shipment)
        tracks = read.by_order(s.sales_shipment_track)
        transactions = read.by_order(s.sales_payment_transaction)
        taxes = read.by_order(s.sales_order_tax)
        tax_items: dict[int, list[Row[Any]]] = defaultdict(list)
        t, ti = s.sales_order_tax, s.sales_order_tax_item
        for item in read.rows(
            select(ti, t.c.order_id)
            .join(t, t.c.tax_id == ti.c.tax_id)
            .where(id_between(t.c.order_id, lo, hi))
            .order_by(ti.c.tax_item_id),
            ti,
            t,
        ):
            tax_items[item.order_id].append(item)
    store_url = _StoreUrls(source)
    result = BuildResult()
    for row in orders:
        try:
            result.items.append(
                _order(
                    row,
                    lines.get(row.entity_id, []),
                    product_skus,
                    addresses.get(row.entity_id, []),
                    payments.get(row.entity_id, []),
                    [_invoice(inv, invoice_lines.get(inv.entity_id, [])) for inv in invoices.get(row.entity_id, [])],
                    _credit_memos(
                        memos.get(row.entity_id, []),
                        memo_lines,
                        memo_comments,
                        _Taxes(taxes.get(row.entity_id, []), tax_items.get(row.entity_id, [])),
                    ),
                    _shipments(row, shipments.get(row.entity_id, []), shipment_lines, tracks, store_url),
                    [_transaction(t) for t in transactions.get(row.entity_id, [])],
                    source,
                )
            )
        except (ValueError, TypeError, ArithmeticError) as exc:
            result.failures.append(
                ItemFailure(row.entity_id, f"order {row.entity_id}: {exc}", {"commerceOrderId": str(row.entity_id)})
            )
    return result


def _credit_memos(
    rows: list[Row[Any]],
    lines: Mapping[int, list[Row[Any]]],
    comments: Mapping[int, list[Row[Any]]],
    taxes: _Taxes,
) -> list[Item]:
    return [_credit_memo(m, lines.get(m.entity_id, []), comments.get(m.entity_id, []), taxes) for m in rows]


def _shipments(
    order: Row[Any],
    rows: list[Row[Any]],
    lines: Mapping[int, list[Row[Any]]],
    tracks: Mapping[int, list[Row[Any]]],
    store_url: Callable[[int | None], str],
) -> list[Item]:
    """An order's shipments; ``trackingInfo`` is one record, so a shipment's first track is sent."""
    by_shipment: dict[int, Row[Any]] = {}
    for first in tracks.get(order.entity_id, []):
        by_shipment.setdefault(first.parent_id, first)
    shipments = []
    for row in rows:
        info = None
        if (track := by_shipment.get(row.entity_id)) is not None:
            info = {
                **_present(
                    shippingCarrier=track.carrier_code,
                    shippingMethod=order.shipping_method,
                    trackingNumber=track.track_number,
                ),
                "trackingUrl": tracking_url(store_url(order.store_id), track.entity_id, order.protect_code),
            }
        shipments.append(_shipment(row, lines.get(row.entity_id, []), info))
    return shipments


def _order(
    row: Row[Any],
    lines: list[Row[Any]],
    product_skus: Mapping[int, str],
    addresses: list[Row[Any]],
    payments: list[Row[Any]],
    invoices: list[Item],
    memos: list[Item],
    shipments: list[Item],
    transactions: list[Item],
    source: MagentoSource,
) -> Item:
    view = source.scopes.store_views.get(row.store_id) if row.store_id is not None else None
    payment = payments[0] if payments else None
    billing = next((a for a in addresses if a.address_type == "billing"), None)
    shipping = next((a for a in addresses if a.address_type == "shipping"), None)
    method_title = None
    extra: list[Item] | None = None
    if payment is not None and payment.additional_information is not None:
        extra = custom_attributes(payment.additional_information)
        decoded = json.loads(payment.additional_information)
        if isinstance(decoded, dict) and decoded.get("method_title") is not None:
            method_title = str(decoded["method_title"])
    return {
        "orderId": {"id": entity_uuid("order", row.entity_id)},
        **_present(commerceOrderId=_str(row.entity_id), commerceOrderNumber=row.increment_id),
        "externalId": {"id": str(row.entity_id), "salesChannel": SALES_CHANNEL},
        "createdAt": rfc3339(row.created_at),
        "updatedAt": rfc3339(row.updated_at),
        "state": STATES.get(row.state, UNKNOWN_STATE) if row.state is not None else UNKNOWN_STATE,
        **_present(
            status=row.status,
            totalInvoiced=_float(row.base_total_invoiced),
            totalQtyOrdered=_float(row.total_qty_ordered),
            isVirtual=_bool(row.is_virtual),
            subtotal=_float(row.base_subtotal),
            grandTotal=_float(row.base_grand_total),
            discountAmount=_float(row.base_discount_amount),
            currency=row.base_currency_code,
        ),
        **(
            _present(
                amountCapturedOnline=_float(payment.base_amount_paid_online),
                amountRefundedOnline=_float(payment.base_amount_refunded_online),
                amountAuthorized=_float(payment.base_amount_authorized),
                amountPaid=_float(payment.base_amount_paid),
                amountRefunded=_float(payment.base_amount_refunded),
                amountCanceled=_float(payment.base_amount_canceled),
            )
            if payment is not None
            else {}
        ),
        **_present(
            storeViewCode=view.code if view else None,
            storeCode=view.group_code if view else None,
            websiteCode=view.website_code if view else None,
            storeId=_int(row.store_id),
            customerId=_int(row.customer_id),
            customerEmail=row.customer_email,
            customerNote=row.customer_note,
        ),
        "payment": {
            "billingAddress": _address(billing),
            **_present(
                paymentMethodName=method_title,
                paymentMethodCode=payment.method if payment is not None else None,
                totalAmount=_float(row.base_subtotal),
                taxAmount=_float(row.base_tax_amount),
                currency=row.base_currency_code,
            ),
        },
        "shipping": {
            "shippingAddress": _address(shipping),
            **_present(
                shippingMethodName=row.shipping_description,
                shippingMethodCode=row.shipping_method,
                shippingAmount=_float(row.base_shipping_amount),
                shippingTax=_float(row.base_shipping_tax_amount),
            ),
        },
        "items": [_order_item(line, product_skus) for line in lines] or None,
        "invoices": invoices or None,
        "creditMemos": memos or None,
        "transactions": transactions or None,
        "shipments": shipments or None,
        "additionalInformation": extra,
        "deleted": False,
    }


#: Every Magento table the feed reads (``reads``), in Magento's spelling.
ORDER_TABLES = (
    "sales_order",
    "sales_order_item",
    "catalog_product_entity",
    "sales_order_address",
    "sales_order_payment",
    "sales_payment_transaction",
    "sales_invoice",
    "sales_invoice_item",
    "sales_creditmemo",
    "sales_creditmemo_item",
    "sales_creditmemo_comment",
    "sales_order_tax",
    "sales_order_tax_item",
    "sales_shipment",
    "sales_shipment_item",
    "sales_shipment_track",
)

ORDERS = FeedSpec(
    name="orders",
    summary="Sales Orders Feed",
    mode="legacy",
    table="sales_data_exporter_orders_v2",
    identity=("commerceOrderId",),
    minimal_payload=("commerceOrderId", "commerceOrderNumber", "storeViewCode"),
    source_key="commerceOrderId",
    source_ids=s.sales_order.c.entity_id,
    builder=build_orders,
    schema_file="orders.json",
    # The tables without which there is no order; the sales documents, addresses, payments and
    # taxes (the rest of ORDER_TABLES, all Magento_Sales) are read when the database has them,
    # so a catalog-only dump still exports its orders, with no documents.
    reads=(*SCOPE_TABLES, "core_config_data", *ORDER_TABLES[:3]),
)
