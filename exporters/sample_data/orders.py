"""Sales orders of two simple items each, as the toolkit's OrdersFixture writes them.

Customers are not generated: most orders are guest orders, and some carry the General group
with no customer id, which is what Magento leaves behind when a customer account is deleted
(sales_order.customer_id is ON DELETE SET NULL).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from exporters.sample_data.base import INSTALLED_AT
from exporters.sample_data.context import Context
from exporters.sample_data.model import SimplePool
from exporters.sample_data.report import Progress
from exporters.source import schema as s

ITEMS_PER_ORDER = 2
SHIPPING_PER_ITEM = Decimal("5.00")
#: (state, status, weight): complete, processing, new/pending and canceled orders.
STATES = (
    ("complete", "complete", 50),
    ("processing", "processing", 25),
    ("new", "pending", 15),
    ("canceled", "canceled", 10),
)
DELETED_CUSTOMER_SHARE = 0.2
PROGRESS_EVERY = 5_000


def _write_items(
    ctx: Context, pool: SimplePool, order_id: int, store_id: int, created: datetime
) -> tuple[Decimal, Decimal]:
    """An order's items, drawn from the pool; their subtotal and quantity."""
    rng, w = ctx.rng, ctx.writer
    subtotal, qty_total = Decimal(0), Decimal(0)
    for index in rng.sample(range(len(pool)), min(ITEMS_PER_ORDER, len(pool))):
        qty, price = Decimal(rng.randint(1, 3)), pool.price(index)
        subtotal += price * qty
        qty_total += qty
        w.add(
            s.sales_order_item,
            {
                "item_id": w.next_id(s.sales_order_item),
                "order_id": order_id,
                "parent_item_id": None,
                "store_id": store_id,
                "created_at": created,
                "updated_at": created,
                "product_id": pool.ids[index],
                "product_type": "simple",
                "sku": f"product_dynamic_{index + 1}",
                "name": f"Simple Product {index + 1}",
                "qty_ordered": qty,
                "price": price,
                "base_price": price,
                "row_total": price * qty,
            },
        )
    return subtotal, qty_total


def write_orders(ctx: Context, pool: SimplePool, progress: Progress | None = None) -> int:
    """Write the profile's orders; none when there is no standalone simple product to order."""
    if not len(pool):
        return 0
    rng, w = ctx.rng, ctx.writer
    views = ctx.base.store_views
    sequences: Counter[int] = Counter()
    states = [(state, status) for state, status, _ in STATES]
    weights = [weight for *_, weight in STATES]
    for number in range(1, ctx.profile.orders + 1):
        view = rng.choice(views)
        sequences[view.store_id] += 1
        order_id = w.next_id(s.sales_order)
        created = INSTALLED_AT + timedelta(days=60, seconds=number * 97)
        subtotal, qty_total = _write_items(ctx, pool, order_id, view.store_id, created)
        state, status = rng.choices(states, weights)[0]
        registered = rng.random() < DELETED_CUSTOMER_SHARE
        shipping = SHIPPING_PER_ITEM * qty_total
        total = subtotal + shipping
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
                "increment_id": f"{view.store_id if view.store_id > 1 else 0}{sequences[view.store_id]:08d}",
                "base_grand_total": total,
                "grand_total": total,
                "subtotal": subtotal,
                "tax_amount": Decimal(0),
                "shipping_amount": shipping,
                "discount_amount": Decimal(0),
                "total_qty_ordered": qty_total,
                "base_currency_code": "USD",
                "order_currency_code": "USD",
                "total_item_count": ITEMS_PER_ORDER,
                "created_at": created,
                "updated_at": created + timedelta(hours=2),
            },
        )
        if progress is not None and (number % PROGRESS_EVERY == 0 or number == ctx.profile.orders):
            progress("orders", number)
    return ctx.profile.orders
