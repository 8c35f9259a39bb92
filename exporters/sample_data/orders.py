"""Sales orders of two simple items each, as the toolkit's OrdersFixture writes them, with the
documents Magento keeps beside an order so the orders feed's nested records are exercised.

Customers are not generated: most orders are guest orders, and some carry the General group
with no customer id, which is what Magento leaves behind when a customer account is deleted
(sales_order.customer_id is ON DELETE SET NULL).

Every order has a billing and a shipping address and one payment. What else it has follows its
state, as Magento's order flow leaves it: processing orders are invoiced, complete ones also
shipped (with a tracking number), closed ones shipped and refunded by a credit memo with a
comment, canceled ones have their quantities canceled. Card payments carry Magento's payment
transactions (an authorization when placed, a capture when invoiced, a refund when refunded);
check payments have none. Everything is drawn from the run's seeded random generator.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from random import Random

from exporters.sample_data.base import INSTALLED_AT
from exporters.sample_data.context import Context
from exporters.sample_data.model import SimplePool
from exporters.sample_data.report import Progress
from exporters.sample_data.writer import BatchWriter
from exporters.source import schema as s

ITEMS_PER_ORDER = 2
SHIPPING_PER_ITEM = Decimal("5.00")
#: (state, status, weight): complete, processing, new/pending, closed (refunded) and canceled orders.
STATES = (
    ("complete", "complete", 45),
    ("processing", "processing", 20),
    ("new", "pending", 15),
    ("closed", "closed", 10),
    ("canceled", "canceled", 10),
)
#: (method code, title, card: whether Magento records payment transactions for it).
PAYMENT_METHODS = (("checkmo", "Check / Money order", False), ("braintree", "Credit Card", True))
CARRIERS = (("ups", "United Parcel Service"), ("usps", "United States Postal Service"), ("fedex", "Federal Express"))
CITIES = (("Austin", "Texas", "78701"), ("Denver", "Colorado", "80202"), ("Portland", "Oregon", "97201"))
DELETED_CUSTOMER_SHARE = 0.2
PROGRESS_EVERY = 5_000
ZERO = Decimal(0)


@dataclass
class _Line:
    item_id: int
    qty: Decimal
    price: Decimal

    @property
    def total(self) -> Decimal:
        return self.price * self.qty


@dataclass
class _Numbers:
    """Per-store-view increment ids of orders and of each document type."""

    counters: dict[str, Counter[int]] = field(default_factory=dict)

    def next(self, kind: str, store_id: int) -> str:
        counter = self.counters.setdefault(kind, Counter())
        counter[store_id] += 1
        return f"{store_id if store_id > 1 else 0}{counter[store_id]:08d}"


def _draw_items(rng: Random, pool: SimplePool) -> list[tuple[int, Decimal]]:
    """(pool index, quantity) of an order's items, drawn as the first sample catalogs drew them."""
    return [
        (index, Decimal(rng.randint(1, 3))) for index in rng.sample(range(len(pool)), min(ITEMS_PER_ORDER, len(pool)))
    ]


def _write_items(
    ctx: Context,
    pool: SimplePool,
    picks: list[tuple[int, Decimal]],
    order_id: int,
    store_id: int,
    created: datetime,
    state: str,
) -> list[_Line]:
    """An order's items with the quantities its state has invoiced, shipped, refunded or canceled."""
    w = ctx.writer
    lines = []
    invoiced = state in ("processing", "complete", "closed")
    shipped = state in ("complete", "closed")
    for index, qty in picks:
        price = pool.price(index)
        line = _Line(w.next_id(s.sales_order_item), qty, price)
        lines.append(line)
        w.add(
            s.sales_order_item,
            {
                "item_id": line.item_id,
                "order_id": order_id,
                "parent_item_id": None,
                "store_id": store_id,
                "created_at": created,
                "updated_at": created,
                "product_id": pool.ids[index],
                "product_type": "simple",
                "product_options": json.dumps({"info_buyRequest": {"qty": int(qty)}}, separators=(",", ":")),
                "weight": Decimal(1),
                "is_virtual": 0,
                "additional_data": None,
                "sku": f"product_dynamic_{index + 1}",
                "name": f"Simple Product {index + 1}",
                "qty_ordered": qty,
                "qty_backordered": None,
                "qty_invoiced": qty if invoiced else ZERO,
                "qty_shipped": qty if shipped else ZERO,
                "qty_refunded": qty if state == "closed" else ZERO,
                "qty_canceled": qty if state == "canceled" else ZERO,
                "price": price,
                "base_price": price,
                "row_total": line.total,
                "base_row_total": line.total,
                "base_discount_amount": ZERO,
                "base_tax_amount": ZERO,
                "base_row_total_incl_tax": line.total,
            },
        )
    return lines


def _write_addresses(ctx: Context, rng: Random, order_id: int, number: int) -> None:
    w = ctx.writer
    city, region, postcode = rng.choice(CITIES)
    for address_type in ("billing", "shipping"):
        w.add(
            s.sales_order_address,
            {
                "entity_id": w.next_id(s.sales_order_address),
                "parent_id": order_id,
                "region": region,
                "postcode": postcode,
                "lastname": f"Customer{number}",
                "street": f"{rng.randint(1, 999)} Main Street\nSuite {rng.randint(1, 50)}",
                "city": city,
                "email": f"customer{number}@example.com",
                "telephone": f"555-{rng.randint(0, 9999):04d}",
                "country_id": "US",
                "firstname": "Sample",
                "address_type": address_type,
            },
        )


def _transaction(
    w: BatchWriter, order_id: int, payment_id: int, txn_type: str, at: datetime, parent: str | None
) -> str:
    txn_id = f"{order_id}-{txn_type}"
    w.add(
        s.sales_payment_transaction,
        {
            "transaction_id": w.next_id(s.sales_payment_transaction),
            "parent_id": None,
            "order_id": order_id,
            "payment_id": payment_id,
            "txn_id": txn_id,
            "parent_txn_id": parent,
            "txn_type": txn_type,
            "is_closed": int(txn_type != "authorization"),
            "created_at": at,
        },
    )
    return txn_id


def _write_documents(
    ctx: Context,
    rng: Random,
    numbers: _Numbers,
    order_id: int,
    store_id: int,
    state: str,
    lines: list[_Line],
    total: Decimal,
    shipping: Decimal,
    created: datetime,
) -> Decimal:
    """The order's payment, invoice, shipment, credit memo and transactions; its invoiced total."""
    w = ctx.writer
    method, title, card = rng.choice(PAYMENT_METHODS)
    invoiced = state in ("processing", "complete", "closed")
    payment_id = w.next_id(s.sales_order_payment)
    w.add(
        s.sales_order_payment,
        {
            "entity_id": payment_id,
            "parent_id": order_id,
            "base_amount_paid_online": total if invoiced and card else None,
            "base_amount_refunded_online": total if state == "closed" and card else None,
            "base_amount_authorized": total if card else None,
            "base_amount_paid": total if invoiced else None,
            "base_amount_refunded": total if state == "closed" else None,
            "base_amount_canceled": total if state == "canceled" else None,
            "base_amount_ordered": total,
            "method": method,
            "additional_information": json.dumps({"method_title": title}),
        },
    )
    authorization = _transaction(w, order_id, payment_id, "authorization", created, None) if card else None
    if not invoiced:
        return ZERO
    invoice_id = w.next_id(s.sales_invoice)
    w.add(
        s.sales_invoice,
        {
            "entity_id": invoice_id,
            "store_id": store_id,
            "base_grand_total": total,
            "grand_total": total,
            "order_id": order_id,
            "state": 2,
            "is_used_for_refund": int(state == "closed"),
            "increment_id": numbers.next("invoice", store_id),
            "created_at": created + timedelta(minutes=30),
            "updated_at": created + timedelta(minutes=30),
        },
    )
    for line in lines:
        w.add(
            s.sales_invoice_item,
            {
                "entity_id": w.next_id(s.sales_invoice_item),
                "parent_id": invoice_id,
                "base_price": line.price,
                "base_row_total": line.total,
                "qty": line.qty,
                "order_item_id": line.item_id,
            },
        )
    if card:
        _transaction(w, order_id, payment_id, "capture", created + timedelta(minutes=30), authorization)
    if state in ("complete", "closed"):
        shipment_id = w.next_id(s.sales_shipment)
        shipped_at = created + timedelta(hours=1)
        w.add(
            s.sales_shipment,
            {
                "entity_id": shipment_id,
                "store_id": store_id,
                "total_qty": sum(line.qty for line in lines),
                "order_id": order_id,
                "increment_id": numbers.next("shipment", store_id),
                "created_at": shipped_at,
                "updated_at": shipped_at,
            },
        )
        for line in lines:
            w.add(
                s.sales_shipment_item,
                {
                    "entity_id": w.next_id(s.sales_shipment_item),
                    "parent_id": shipment_id,
                    "qty": line.qty,
                    "order_item_id": line.item_id,
                },
            )
        carrier, carrier_title = rng.choice(CARRIERS)
        w.add(
            s.sales_shipment_track,
            {
                "entity_id": w.next_id(s.sales_shipment_track),
                "parent_id": shipment_id,
                "order_id": order_id,
                "track_number": f"1Z{rng.randrange(10**12):012d}",
                "title": carrier_title,
                "carrier_code": carrier,
                "created_at": shipped_at,
                "updated_at": shipped_at,
            },
        )
    if state == "closed":
        _write_credit_memo(ctx, rng, numbers, order_id, store_id, lines, total, shipping, created + timedelta(days=3))
        if card:
            _transaction(w, order_id, payment_id, "refund", created + timedelta(days=3), f"{order_id}-capture")
    return total


def _write_credit_memo(
    ctx: Context,
    rng: Random,
    numbers: _Numbers,
    order_id: int,
    store_id: int,
    lines: list[_Line],
    total: Decimal,
    shipping: Decimal,
    at: datetime,
) -> None:
    """A credit memo refunding the whole order, with a comment."""
    w = ctx.writer
    memo_id = w.next_id(s.sales_creditmemo)
    w.add(
        s.sales_creditmemo,
        {
            "entity_id": memo_id,
            "store_id": store_id,
            "base_adjustment_positive": ZERO,
            "base_adjustment_negative": ZERO,
            "base_adjustment": ZERO,
            "base_shipping_amount": shipping,
            "base_shipping_tax_amount": ZERO,
            "base_subtotal": total - shipping,
            "base_tax_amount": ZERO,
            "base_grand_total": total,
            "grand_total": total,
            "order_id": order_id,
            "state": 2,
            "increment_id": numbers.next("creditmemo", store_id),
            "base_currency_code": "USD",
            "created_at": at,
            "updated_at": at,
        },
    )
    for line in lines:
        w.add(
            s.sales_creditmemo_item,
            {
                "entity_id": w.next_id(s.sales_creditmemo_item),
                "parent_id": memo_id,
                "base_price": line.price,
                "base_row_total": line.total,
                "base_discount_amount": ZERO,
                "qty": line.qty,
                "order_item_id": line.item_id,
            },
        )
    w.add(
        s.sales_creditmemo_comment,
        {
            "entity_id": w.next_id(s.sales_creditmemo_comment),
            "parent_id": memo_id,
            "is_customer_notified": 1,
            "is_visible_on_front": 0,
            "comment": rng.choice(("Returned by the customer", "Damaged in transit", "Wrong size")),
            "created_at": at,
        },
    )


def write_orders(ctx: Context, pool: SimplePool, progress: Progress | None = None) -> int:
    """Write the profile's orders; none when there is no standalone simple product to order."""
    if not len(pool):
        return 0
    rng, w = ctx.rng, ctx.writer
    #: Draws added since the first sample catalogs come from their own generator, so the shared
    #: one is left where it was and the steps after this one write the rows they always wrote.
    extra = Random(f"{ctx.seed}:orders")
    views = ctx.base.store_views
    numbers = _Numbers()
    states = [(state, status) for state, status, _ in STATES]
    weights = [weight for *_, weight in STATES]
    for number in range(1, ctx.profile.orders + 1):
        view = rng.choice(views)
        order_id = w.next_id(s.sales_order)
        created = INSTALLED_AT + timedelta(days=60, seconds=number * 97)
        picks = _draw_items(rng, pool)
        state, status = rng.choices(states, weights)[0]
        registered = rng.random() < DELETED_CUSTOMER_SHARE
        lines = _write_items(ctx, pool, picks, order_id, view.store_id, created, state)
        subtotal = sum((line.total for line in lines), ZERO)
        qty_total = sum((line.qty for line in lines), ZERO)
        shipping = SHIPPING_PER_ITEM * qty_total
        total = subtotal + shipping
        _write_addresses(ctx, extra, order_id, number)
        invoiced = _write_documents(
            ctx, extra, numbers, order_id, view.store_id, state, lines, total, shipping, created
        )
        w.add(
            s.sales_order,
            {
                "entity_id": order_id,
                "state": state,
                "status": status,
                "store_id": view.store_id,
                "customer_id": None,
                "customer_group_id": 1 if registered else 0,
                "customer_is_guest": int(not registered),
                "customer_email": f"customer{number}@example.com",
                "increment_id": numbers.next("order", view.store_id),
                "base_grand_total": total,
                "grand_total": total,
                "subtotal": subtotal,
                "tax_amount": ZERO,
                "shipping_amount": shipping,
                "discount_amount": ZERO,
                "total_qty_ordered": qty_total,
                "base_currency_code": "USD",
                "order_currency_code": "USD",
                "total_item_count": ITEMS_PER_ORDER,
                "created_at": created,
                # the order row changes last when its credit memo is written, three days on
                "updated_at": created + (timedelta(days=3, hours=1) if state == "closed" else timedelta(hours=2)),
                "protect_code": f"{extra.getrandbits(64):016x}",
                "shipping_description": "Flat Rate - Fixed",
                "shipping_method": "flatrate_flatrate",
                "is_virtual": 0,
                "base_discount_amount": ZERO,
                "base_shipping_amount": shipping,
                "base_shipping_tax_amount": ZERO,
                "base_subtotal": subtotal,
                "base_tax_amount": ZERO,
                "base_total_invoiced": invoiced if invoiced else None,
                "customer_note": None,
            },
        )
        if progress is not None and (number % PROGRESS_EVERY == 0 or number == ctx.profile.orders):
            progress("orders", number)
    return ctx.profile.orders
