"""Tier prices and the price index (catalog_product_index_price).

The index rows are what Magento's price indexer would plausibly write as of REINDEXED_AT, so
that a prices feed has a final price differing from the regular one per customer group and
website on some products. It is a summary of the indexer's rules, not a port of it:
final = the lowest of price, an active special price and a qty-1 tier price of the group;
tier_price = the group's lowest tier price at any quantity; a configurable spans the final
prices of its enabled variants. Disabled products and products on no website get no rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from exporters.sample_data.context import Context
from exporters.sample_data.model import CENT, Product, Special
from exporters.source import schema as s

ONE = Decimal(1)
#: Share of standalone simple products with tier prices.
TIER_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class Tier:
    all_groups: bool
    customer_group_id: int
    qty: Decimal
    value: Decimal
    website_id: int
    percentage: Decimal | None = None

    def price(self, base: Decimal) -> Decimal:
        if self.percentage is None:
            return self.value
        return (base * (100 - self.percentage) / 100).quantize(CENT)

    def applies(self, group: int, website: int) -> bool:
        return (self.all_groups or self.customer_group_id == group) and self.website_id in (0, website)


def plan_tiers(ctx: Context, product: Product) -> tuple[Tier, ...]:
    """all-groups, per-group, percentage and website-specific rows on a share of simple products."""
    rng, price = ctx.rng, product.price
    if price is None or rng.random() >= TIER_SHARE:
        return ()
    tiers = [
        Tier(True, 0, Decimal(2), (price * Decimal("0.95")).quantize(CENT), 0),
        Tier(False, 1, ONE, (price * Decimal("0.90")).quantize(CENT), 0),
    ]
    if rng.random() < 0.5:
        tiers.append(Tier(False, 2, Decimal(10), Decimal(0), 0, Decimal("15.00")))
    if product.websites and rng.random() < 0.4:
        tiers.append(Tier(False, 3, ONE, (price * Decimal("0.80")).quantize(CENT), product.websites[0]))
    return tuple(tiers)


def write_tier_prices(ctx: Context, product: Product, tiers: Sequence[Tier]) -> None:
    w = ctx.writer
    for tier in tiers:
        w.add(
            s.catalog_product_entity_tier_price,
            {
                "value_id": w.next_id(s.catalog_product_entity_tier_price),
                "entity_id": product.entity_id,
                "all_groups": int(tier.all_groups),
                "customer_group_id": tier.customer_group_id,
                "qty": tier.qty,
                "value": tier.value,
                "website_id": tier.website_id,
                "percentage_value": tier.percentage,
            },
        )


def final_price(
    price: Decimal, special: Special | None, tiers: Sequence[Tier], group: int, website: int, at: datetime
) -> Decimal:
    final = price
    if special is not None and special.active(at):
        final = min(final, special.price)
    for tier in tiers:
        if tier.qty <= ONE and tier.applies(group, website):
            final = min(final, tier.price(price))
    return final


def write_price_index(ctx: Context, product: Product, tiers: Sequence[Tier]) -> None:
    price = product.price
    if not product.enabled or price is None:
        return
    for website in product.websites:
        for group in ctx.base.customer_groups:
            final = final_price(price, product.special, tiers, group, website, ctx.reindexed_at)
            group_tiers = [t.price(price) for t in tiers if t.applies(group, website)]
            _index_row(
                ctx, product, group, website, price, final, final, final, min(group_tiers) if group_tiers else None
            )


def write_configurable_index(ctx: Context, parent: Product, variants: Sequence[Product]) -> None:
    """A configurable's row spans its enabled variants' prices (they have no tiers or specials)."""
    prices = [v.price for v in variants if v.enabled and v.price is not None]
    if not parent.enabled or not prices:
        return
    low, high = min(prices), max(prices)
    for website in parent.websites:
        for group in ctx.base.customer_groups:
            _index_row(ctx, parent, group, website, low, low, low, high, None)


def _index_row(
    ctx: Context,
    product: Product,
    group: int,
    website: int,
    price: Decimal,
    final: Decimal,
    low: Decimal,
    high: Decimal,
    tier: Decimal | None,
) -> None:
    ctx.writer.add(
        s.catalog_product_index_price,
        {
            "entity_id": product.entity_id,
            "customer_group_id": group,
            "website_id": website,
            "tax_class_id": product.tax_class_id,
            "price": price,
            "final_price": final,
            "min_price": low,
            "max_price": high,
            "tier_price": tier,
        },
    )
