"""The productOverrides feed: permissions walked up each product's categories."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import insert

from exporters.feeds import PRODUCT_OVERRIDES
from exporters.sample_data import generate
from exporters.source import schema as s
from tests.support.catalog import Catalog
from tests.support.feeds import build_feed, group_code
from tests.support.items import without


def grants(url: str) -> dict[tuple[str, str, str], tuple[bool, bool, bool]]:
    result = build_feed(PRODUCT_OVERRIDES, url)
    assert result.failures == []
    return {
        (i["sku"], i["websiteCode"], i["customerGroupCode"]): (
            i["displayable"],
            i["priceDisplayable"],
            i["addToCartAllowed"],
        )
        for i in result.items
    }


def test_the_nearest_explicit_grant_wins_and_any_category_allows(make_db) -> None:
    # Given 10 (under the default category) and its child 11, and 12 without any permission
    catalog = Catalog(make_db("sqlite"))
    s.magento_catalogpermissions.create(catalog.engine)
    catalog.add_category(10, "1/2", {"admin": "a"})
    catalog.add_category(11, "1/2/10", {"admin": "a/b"})
    catalog.add_category(12, "1/2", {"admin": "c"})
    rows: list[dict[str, Any]] = [
        # category 10, every website and group: view ALLOW, price DENY, checkout INHERIT
        {"category_id": 10, "website_id": None, "customer_group_id": None, "grant_catalog_category_view": -1,
         "grant_catalog_product_price": -2, "grant_checkout_items": 0},
        # category 11, base / General: view DENY, price and checkout INHERIT
        {"category_id": 11, "website_id": 1, "customer_group_id": 1, "grant_catalog_category_view": -2,
         "grant_catalog_product_price": 0, "grant_checkout_items": 0},
    ]  # fmt: skip
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.magento_catalogpermissions), rows)
    catalog.add_product("IN-11", entity_id=1, categories={11: 1})
    catalog.add_product("IN-11-AND-12", entity_id=2, categories={11: 1, 12: 1})
    catalog.add_product("NOWHERE", entity_id=3)
    # When the overrides are computed
    result = grants(catalog.url)
    # Then the nearest explicit grant decides, inheriting upwards; no grant at all allows
    assert result[("IN-11", "base", group_code(1))] == (False, False, True)
    assert result[("IN-11", "base", group_code(0))] == (True, False, True)
    # a second category without permissions allows everything
    assert result[("IN-11-AND-12", "base", group_code(1))] == (True, True, True)
    assert result[("NOWHERE", "base", group_code(3))] == (True, True, True)
    # one item per product x website x customer group
    assert len(result) == 3 * 1 * 4


def test_a_commerce_sample_catalog(make_db) -> None:
    # Given an Adobe Commerce sample catalog, with category permissions
    url = make_db("sqlite")
    generate(url, "small", products=60, seed=3, edition="commerce")
    # When the overrides are computed
    result = grants(url)
    # Then there are some, both granting and denying
    assert len(result) > 0
    assert {value for triple in result.values() for value in triple} == {True, False}


def test_an_item_is_exact_with_an_integer_product_id_and_its_build_time(make_db) -> None:
    # Given a product in category 10, which denies the cart to every website and group
    catalog = Catalog(make_db("sqlite"))
    s.magento_catalogpermissions.create(catalog.engine)
    catalog.add_category(10, "1/2", {"admin": "a"})
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.magento_catalogpermissions).values(
            category_id=10, website_id=None, customer_group_id=None, grant_catalog_category_view=-1,
            grant_catalog_product_price=-1, grant_checkout_items=-2))  # fmt: skip
    catalog.add_product("IN-10", entity_id=7, categories={10: 1})
    # When the overrides are built
    result = build_feed(PRODUCT_OVERRIDES, catalog.url)
    item = next(i for i in result.items if i["customerGroupCode"] == group_code(1))
    # Then the item is exact: productId an integer (Adobe's Int), modifiedAt the build time
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", item["modifiedAt"])
    assert without(item, "modifiedAt") == {
        "productId": 7, "sku": "IN-10", "websiteCode": "base", "customerGroupCode": group_code(1),
        "displayable": True, "priceDisplayable": True, "addToCartAllowed": False, "deleted": False,
    }  # fmt: skip
    assert type(item["productId"]) is int
    # and modifiedAt is kept for the tombstone
    assert "modifiedAt" in PRODUCT_OVERRIDES.minimal_payload
