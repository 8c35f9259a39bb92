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
- ``updatedAt`` is when the item was built, RFC 3339 (Adobe sets it to the build time and its
  ``DateConverter`` writes it as ``DateTimeInterface::RFC3339``); it is not part of the hash.

``websiteId`` and ``productId`` are integers, as Adobe's ``et_schema.xml`` declares them (``Int``).
Without parents or tier prices, ``parents`` and ``tierPrices`` are None, as Adobe's provider leaves
them (null, and no ``tierPrices`` key), so presence leaves them out; ``discounts`` is ``[]`` there
(Adobe's template), which presence sends as null.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from exporters.clock import format_datetime, now_rfc3339, today_text
from exporters.feeds.base import (
    EAV_TABLES,
    PRODUCT_VALUE_TABLES,
    SCOPE_TABLES,
    FeedSpec,
    customer_group_code,
    read_product_websites,
)
from exporters.model import BuildResult, Item
from exporters.source import MagentoSource, StoreView, Website
from exporters.source.eav import SCOPE_WEBSITE, EntityValues, load_values, resolve
from exporters.source.edition import Edition
from exporters.source.relations import read_parents
from exporters.source.schema import (
    catalog_product_entity,
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


@dataclass(frozen=True, slots=True)
class _PriceRows:
    """Everything the bulk queries returned for one range of products."""

    #: (entity_id, sku, type_id) of each live product.
    products: Sequence[Any]
    websites: Mapping[int, list[int]]
    #: website id -> the default store view of its default store group.
    default_views: Mapping[int, int]
    values: Mapping[int, EntityValues]
    #: product id -> its tier price rows (``_TIER_COLUMNS``), by ascending qty.
    tiers: Mapping[int, list[Any]]
    #: child id -> {parent sku: parent type_id}.
    parents: Mapping[int, dict[str, str]]


def _read_prices(conn: Connection, source: MagentoSource, lo: int, hi: int) -> _PriceRows:
    edition, attrs = source.edition, source.product_attributes
    e = edition.products
    products = conn.execute(
        select(e.c.entity_id, e.c.sku, e.c.type_id).where(id_between(e.c.entity_id, lo, hi), edition.live(e))
    ).all()
    websites = read_product_websites(conn, lo, hi)
    default_views = dict(
        conn.execute(
            select(store_website.c.website_id, store_group.c.default_store_id).join(
                store_group, store_group.c.group_id == store_website.c.default_group_id
            )
        ).all()
    )
    values = load_values(conn, edition, "product", attrs.ids_by_backend(_CODES), source.scopes.store_ids, lo, hi)
    return _PriceRows(
        products=products,
        websites=websites,
        default_views=default_views,
        values=values,
        tiers=_read_tiers(conn, edition, lo, hi),
        parents=read_parents(conn, edition, lo, hi),
    )


def _read_tiers(conn: Connection, edition: Edition, lo: int, hi: int) -> dict[int, list[Any]]:
    t = edition.tier_price
    tier_id, tier_from, tier_live = edition.keyed(t, edition.products)
    tiers: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(
        select(tier_id.label("product_id"), *(t.c[name] for name in _TIER_COLUMNS))
        .select_from(tier_from)
        .where(id_between(tier_id, lo, hi), tier_live)
        .order_by(t.c.qty)
    ):
        tiers[row.product_id].append(row)
    return tiers


class _PriceAssembler:
    """Turns one chunk's rows into items.

    The price scope, the price attributes it implies and today's date are settled once per
    chunk, so every item of the chunk is priced against the same day and scope.
    """

    def __init__(self, source: MagentoSource, rows: _PriceRows) -> None:
        attrs = source.product_attributes
        self.rows = rows
        self.websites = source.scopes.websites
        self.views: Mapping[int, StoreView] = source.scopes.store_views
        self.website_scope = (source.config_value(PRICE_SCOPE) or "0") == "1"
        price, special = attrs.get("price"), attrs.get("special_price")
        if self.website_scope:  # Magento turns price attributes to website scope with this setting
            price, special = (None if a is None else replace(a, is_global=SCOPE_WEBSITE) for a in (price, special))
        self.price, self.special = price, special
        self.special_from, self.special_to = attrs.get("special_from_date"), attrs.get("special_to_date")
        self.price_type = attrs.get("price_type")
        self.today = today_text()
        self.updated_at = now_rfc3339()

    def build(self) -> BuildResult:
        rows, result = self.rows, BuildResult()
        for product in rows.products:
            if product.sku is None:
                continue
            own = rows.values.get(product.entity_id, {})
            kind = price_type(product.type_id, own, self.price_type)
            for website_id in sorted(rows.websites.get(product.entity_id, ())):
                website = self.websites.get(website_id)
                if website is None:
                    continue
                # Rows of website 0 apply to every website.
                tiers = [r for r in rows.tiers.get(product.entity_id, ()) if r.website_id in (0, website_id)]
                everyone = {r.qty: r for r in tiers if r.all_groups and r.qty > 1}
                base = self._base_item(product, website, own, kind, everyone)
                result.items.append(base)
                result.items.extend(_group_items(base, tiers, everyone))
        return result

    def _base_item(
        self,
        product: Any,
        website: Website,
        own: EntityValues,
        kind: str,
        everyone: Mapping[Decimal, Any],
    ) -> Item:
        """The item every customer group without prices of its own gets (``customerGroupCode`` 0)."""
        view_id = self._price_view(website.website_id)
        regular = _at(own, self.price, view_id)
        return {
            "websiteId": int(website.website_id),
            "websiteCode": website.code,
            "productId": int(product.entity_id),
            "sku": product.sku,
            "customerGroupCode": "0",
            "type": kind,
            "parents": _parent_entries(self.rows.parents.get(product.entity_id, {})) or None,
            "regular": 0.0 if regular is None else _amount(regular),
            "discounts": self._special_price(own, kind, view_id),
            "tierPrices": [_tier(q, r.value, r.percentage_value) for q, r in sorted(everyone.items())] or None,
            "updatedAt": self.updated_at,
            "deleted": False,
        }

    def _price_view(self, website_id: int) -> int:
        """Where a website's prices are read: its default store view under website scope, else store 0."""
        default_view = self.rows.default_views.get(website_id)
        return default_view if self.website_scope and default_view is not None and default_view in self.views else 0

    def _special_price(self, own: EntityValues, kind: str, view_id: int) -> list[dict[str, Any]]:
        """The special price as a discount, while today is within its dates; a bundle's is a percentage."""
        special_value = _at(own, self.special, view_id)
        if special_value is None or not _active(
            self.today, _at(own, self.special_from, view_id), _at(own, self.special_to, view_id)
        ):
            return []
        key = "percentage" if kind.startswith("BUNDLE") else "price"
        return [{"code": "special_price", key: _amount(special_value)}]


def _parent_entries(parents: Mapping[str, str]) -> list[dict[str, str]]:
    return [
        {"type": TYPES.get(type_id, "BUNDLE_DYNAMIC" if type_id == "bundle" else "SIMPLE"), "sku": sku}
        for sku, type_id in sorted(parents.items())
    ]


def _group_items(base: Item, tiers: list[Any], everyone: Mapping[Decimal, Any]) -> Iterator[Item]:
    """One item per customer group with rows of its own, by group id.

    A group's qty-1 rows are its ``group`` discounts (after the base discounts); its qty > 1 rows
    are tier prices over the all-groups ones at the same qty.
    """
    by_group: dict[int, list[Any]] = defaultdict(list)
    for r in tiers:
        if not r.all_groups:
            by_group[int(r.customer_group_id)].append(r)
    for group_id, group_rows in sorted(by_group.items()):
        group_discounts = list(base["discounts"])
        group_tiers = dict(everyone)
        for r in group_rows:
            if r.qty <= 1:
                key = "percentage" if r.percentage_value is not None else "price"
                amount = r.percentage_value if r.percentage_value is not None else r.value
                group_discounts.append({"code": "group", key: _amount(amount)})
            else:
                group_tiers[r.qty] = r
        yield {
            **base,
            "customerGroupCode": customer_group_code(group_id),
            "discounts": group_discounts,
            "tierPrices": [_tier(q, r.value, r.percentage_value) for q, r in sorted(group_tiers.items())] or None,
        }


def build_prices(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every prices item for product ids ``lo..hi`` (inclusive)."""
    with source.connect() as conn:
        rows = _read_prices(conn, source, lo, hi)
    return _PriceAssembler(source, rows).build()


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
    reads=(
        *SCOPE_TABLES,
        *EAV_TABLES,
        *PRODUCT_VALUE_TABLES,
        "catalog_product_entity",
        "catalog_product_website",
        "catalog_product_entity_tier_price",
        "catalog_product_super_link",
        "catalog_product_relation",
    ),
)
