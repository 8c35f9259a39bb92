"""The prices feed: per product × website a base item, plus one per customer group with prices
of its own (a group price, or tier prices for that group).

Decisions where the contract is silent (docs/prices-feed.md):
- price scope ``catalog/price/scope`` 1 (website) reads price, special price and its dates at the
  website's default store view, falling back to store 0; scope 0 (global) reads store 0;
- the special price is a discount only while today (UTC) is within its from/to dates
  (inclusive, open-ended when unset); for a bundle it is a percentage;
- all-groups tier rows (``all_groups = 1``) with qty > 1 are the base item's tier prices; a
  group's own rows give its ``group`` discount (qty 1) and its tier prices (qty > 1, over the
  all-groups ones at the same qty); rows of website 0 apply to every website;
- ``updatedAt`` is the product's ``updated_at``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from exporters.clock import format_datetime
from exporters.feeds.base import FeedSpec, customer_group_code
from exporters.model import BuildResult, Item
from exporters.source import MagentoSource, StoreView
from exporters.source.eav import SCOPE_WEBSITE, EntityValues, load_values, resolve
from exporters.source.relations import read_parents
from exporters.source.schema import (
    catalog_product_entity,
    catalog_product_website,
    id_between,
    store_group,
    store_website,
)

PRICE_SCOPE = "catalog/price/scope"
TYPES = {
    "simple": "SIMPLE",
    "configurable": "CONFIGURABLE",
    "downloadable": "DOWNLOADABLE",
    "grouped": "GROUPED",
    "giftcard": "GIFTCARD",
}
_CODES = ("price", "special_price", "special_from_date", "special_to_date", "price_type")
_TIER_COLUMNS = ("website_id", "all_groups", "customer_group_id", "qty", "value", "percentage_value")


def price_type(type_id: str, values: EntityValues, price_type_attr: Any) -> str:
    """The feed's product type; a bundle is fixed or dynamic by its ``price_type`` (1 fixed)."""
    if type_id == "bundle":
        fixed = price_type_attr is not None and str(resolve(values, price_type_attr, 0)) == "1"
        return "BUNDLE_FIXED" if fixed else "BUNDLE_DYNAMIC"
    return TYPES.get(type_id, "SIMPLE")


def _amount(value: Decimal | float) -> float:
    return float(value)


def _tier(qty: Decimal, value: Decimal, percentage: Decimal | None) -> dict[str, float]:
    if percentage is not None:
        return {"qty": float(qty), "percentage": float(percentage)}
    return {"qty": float(qty), "price": float(value)}


def _at(values: EntityValues, attribute: Any, store_id: int) -> Any:
    return None if attribute is None else resolve(values, attribute, store_id)


def _active(today: str, start: Any, end: Any) -> bool:
    start_day = (format_datetime(start) or "")[:10]
    end_day = (format_datetime(end) or "")[:10]
    return (not start_day or start_day <= today) and (not end_day or today <= end_day)


def build_prices(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every prices item for product ids ``lo..hi`` (inclusive)."""
    edition, attrs = source.edition, source.product_attributes
    e, w, t = edition.products, catalog_product_website, edition.tier_price
    tier_id, tier_from, tier_live = edition.keyed(t, e)
    website_scope = (source.config_value(PRICE_SCOPE) or "0") == "1"
    with source.connect() as conn:
        products = conn.execute(
            select(e.c.entity_id, e.c.sku, e.c.type_id, e.c.updated_at).where(
                id_between(e.c.entity_id, lo, hi), edition.live(e)
            )
        ).all()
        websites: dict[int, list[int]] = defaultdict(list)
        for product_id, website_id in conn.execute(
            select(w.c.product_id, w.c.website_id).where(id_between(w.c.product_id, lo, hi))
        ):
            websites[product_id].append(website_id)
        default_views = dict(
            conn.execute(
                select(store_website.c.website_id, store_group.c.default_store_id).join(
                    store_group, store_group.c.group_id == store_website.c.default_group_id
                )
            ).all()
        )
        values = load_values(conn, edition, "product", attrs.ids_by_backend(_CODES), source.scopes.store_ids, lo, hi)
        tiers: dict[int, list[Any]] = defaultdict(list)
        tier_rows = (
            select(tier_id.label("product_id"), *(t.c[name] for name in _TIER_COLUMNS))
            .select_from(tier_from)
            .where(id_between(tier_id, lo, hi), tier_live)
            .order_by(t.c.qty)
        )
        for row in conn.execute(tier_rows):
            tiers[row.product_id].append(row)
        parents = read_parents(conn, edition, lo, hi)
    price, special = attrs.get("price"), attrs.get("special_price")
    if website_scope:  # Magento turns price attributes to website scope with this setting
        price, special = (None if a is None else replace(a, is_global=SCOPE_WEBSITE) for a in (price, special))
    special_from, special_to, price_type_attr = (
        attrs.get("special_from_date"),
        attrs.get("special_to_date"),
        attrs.get("price_type"),
    )
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    views: dict[int, StoreView] = source.scopes.store_views
    result = BuildResult()
    for row in products:
        if row.sku is None:
            continue
        own = values.get(row.entity_id, {})
        kind = price_type(row.type_id, own, price_type_attr)
        for website_id in sorted(websites.get(row.entity_id, ())):
            website = source.scopes.websites.get(website_id)
            if website is None:
                continue
            view_id = (
                default_views.get(website_id, 0) if website_scope and default_views.get(website_id) in views else 0
            )
            regular = _at(own, price, view_id)
            discounts: list[dict[str, Any]] = []
            special_value = _at(own, special, view_id)
            if special_value is not None and _active(
                today, _at(own, special_from, view_id), _at(own, special_to, view_id)
            ):
                key = "percentage" if kind.startswith("BUNDLE") else "price"
                discounts.append({"code": "special_price", key: _amount(special_value)})
            rows = [r for r in tiers.get(row.entity_id, ()) if r.website_id in (0, website_id)]
            everyone = {r.qty: r for r in rows if r.all_groups and r.qty > 1}
            base: Item = {
                "websiteId": str(website_id),
                "websiteCode": website.code,
                "productId": str(row.entity_id),
                "sku": row.sku,
                "customerGroupCode": "0",
                "type": kind,
                "parents": [
                    {"type": TYPES.get(type_id, "BUNDLE_DYNAMIC" if type_id == "bundle" else "SIMPLE"), "sku": sku}
                    for sku, type_id in sorted(parents.get(row.entity_id, {}).items())
                ],
                "regular": 0.0 if regular is None else _amount(regular),
                "discounts": discounts,
                "tierPrices": [_tier(q, r.value, r.percentage_value) for q, r in sorted(everyone.items())],
                "updatedAt": format_datetime(row.updated_at),
                "deleted": False,
            }
            result.items.append(base)
            by_group: dict[int, list[Any]] = defaultdict(list)
            for r in rows:
                if not r.all_groups:
                    by_group[int(r.customer_group_id)].append(r)
            for group_id, group_rows in sorted(by_group.items()):
                group_discounts = list(discounts)
                group_tiers = dict(everyone)
                for r in group_rows:
                    if r.qty <= 1:
                        key = "percentage" if r.percentage_value is not None else "price"
                        amount = r.percentage_value if r.percentage_value is not None else r.value
                        group_discounts.append({"code": "group", key: _amount(amount)})
                    else:
                        group_tiers[r.qty] = r
                result.items.append(
                    {
                        **base,
                        "customerGroupCode": customer_group_code(group_id),
                        "discounts": group_discounts,
                        "tierPrices": [_tier(q, r.value, r.percentage_value) for q, r in sorted(group_tiers.items())],
                    }
                )
    return result


PRICES = FeedSpec(
    name="prices",
    summary="Product Prices Feed",
    mode="immediate",
    table="cde_product_prices_feed",
    identity=("sku", "websiteCode", "customerGroupCode"),
    minimal_payload=("websiteId", "websiteCode", "productId", "sku", "customerGroupCode", "updatedAt"),
    source_key="productId",
    source_ids=catalog_product_entity.c.entity_id,
    builder=build_prices,
    schema_file="prices.json",
)
