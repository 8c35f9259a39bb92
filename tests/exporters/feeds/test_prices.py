"""The prices feed: a base item per product × website and items for groups with own prices."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, update

from exporters.feeds import PRICES
from exporters.source import schema as s
from tests.support.catalog import Catalog
from tests.support.feeds import build_feed, group_code
from tests.support.items import without


def build(url: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The items by identity, each ``updatedAt`` checked to be the build time in RFC 3339 and left out."""
    before = datetime.now(UTC).replace(microsecond=0)
    result = build_feed(PRICES, url)
    after = datetime.now(UTC)
    assert result.failures == []
    for item in result.items:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00", item["updatedAt"])
        assert before <= datetime.fromisoformat(item["updatedAt"]) <= after
    return {(i["sku"], i["websiteCode"], i["customerGroupCode"]): without(i, "updatedAt") for i in result.items}


def priced_catalog(url: str) -> Catalog:
    """T on both websites with a current special price and tier prices; OLD with an expired special price."""
    catalog = Catalog(url, websites=2)
    always, past = (datetime(2000, 1, 1), datetime(2999, 12, 31)), (datetime(2000, 1, 1), datetime(2000, 12, 31))
    catalog.add_product("T", entity_id=1, websites=("base", "website_2"), values={
        "price": {"admin": Decimal("20")}, "special_price": {"admin": Decimal("15")},
        "special_from_date": {"admin": always[0]}, "special_to_date": {"admin": always[1]}})  # fmt: skip
    catalog.add_product("OLD", entity_id=2, values={
        "price": {"admin": Decimal("9.5")}, "special_price": {"admin": Decimal("5")},
        "special_from_date": {"admin": past[0]}, "special_to_date": {"admin": past[1]}})  # fmt: skip
    rows = [
        {"all_groups": 1, "customer_group_id": 0, "qty": 5, "value": Decimal("18"), "website_id": 0},
        {"all_groups": 0, "customer_group_id": 1, "qty": 1, "value": Decimal("17"), "website_id": 0},
        {"all_groups": 0, "customer_group_id": 2, "qty": 10, "value": Decimal("0"), "percentage_value": Decimal("10"),
         "website_id": 2},
    ]  # fmt: skip
    with catalog.engine.begin() as conn:
        rows = [{"entity_id": 1, "percentage_value": None, **r} for r in rows]  # one column set for executemany
        conn.execute(insert(s.catalog_product_entity_tier_price), rows)
    return catalog


def test_base_and_group_items_with_special_group_and_tier_prices(source_url: str) -> None:
    # Given the priced catalog; when its prices feed is built
    items = build(priced_catalog(source_url).url)
    # Then each product has a base item per website and an item per group with a price of its own
    special = {"code": "special_price", "price": 15.0}
    # (no parents: a null plain field is left out, as Adobe's transformer does)
    common = {"productId": 1, "sku": "T", "type": "SIMPLE", "regular": 20.0, "deleted": False}
    assert sorted(items) == sorted([
        ("T", "base", "0"), ("T", "base", group_code(1)),
        ("T", "website_2", "0"), ("T", "website_2", group_code(1)), ("T", "website_2", group_code(2)),
        ("OLD", "base", "0"),
    ])  # fmt: skip
    assert items[("T", "base", "0")] == {
        **common, "websiteId": 1, "websiteCode": "base", "customerGroupCode": "0", "discounts": [special],
        "tierPrices": [{"qty": 5.0, "price": 18.0}],
    }  # fmt: skip
    assert items[("T", "base", group_code(1))]["discounts"] == [special, {"code": "group", "price": 17.0}]
    assert items[("T", "website_2", group_code(2))] == {
        **common, "websiteId": 2, "websiteCode": "website_2", "customerGroupCode": group_code(2),
        "discounts": [special], "tierPrices": [{"qty": 5.0, "price": 18.0}, {"qty": 10.0, "percentage": 10.0}],
    }  # fmt: skip
    # an expired special price is no discount (an empty list: null); without tier prices the field is left out
    assert items[("OLD", "base", "0")] == {
        "productId": 2, "sku": "OLD", "type": "SIMPLE", "regular": 9.5, "deleted": False, "websiteId": 1,
        "websiteCode": "base", "customerGroupCode": "0", "discounts": None,
    }  # fmt: skip


def test_website_price_scope_reads_the_websites_default_view(make_db) -> None:
    # Given a price set at store 0 and at the second website's view, with the price scope "website"
    catalog = Catalog(make_db("sqlite"), websites=2)
    catalog.add_product("W", entity_id=1, websites=("base", "website_2"),
                        values={"price": {"admin": Decimal("10"), "store_view_2": Decimal("12")}})  # fmt: skip
    with catalog.engine.begin() as conn:
        config = s.core_config_data
        conn.execute(update(config).where(config.c.path == "catalog/price/scope").values(value="1"))
    # When the prices feed is built
    items = build(catalog.url)
    # Then each website reads its default view's price
    assert (items[("W", "base", "0")]["regular"], items[("W", "website_2", "0")]["regular"]) == (10.0, 12.0)


def test_the_luma_prices(luma_url: str) -> None:
    # Given the real Luma database; when its prices feed is built
    items = build(luma_url)
    # Then each product has its base item, variants naming their parent
    assert len(items) == 2040
    assert items[("24-MB01", "base", "0")] == {
        "websiteId": 1, "websiteCode": "base", "productId": 1, "sku": "24-MB01", "customerGroupCode": "0",
        "type": "SIMPLE", "regular": 34.0, "discounts": None, "deleted": False,
    }  # fmt: skip
    assert type(items[("24-MB01", "base", "0")]["productId"]) is int
    assert items[("MH01-XS-Black", "base", "0")]["parents"] == [{"type": "CONFIGURABLE", "sku": "MH01"}]
    assert {i["type"] for i in items.values()} == {"SIMPLE", "CONFIGURABLE", "GROUPED", "BUNDLE_DYNAMIC"}
