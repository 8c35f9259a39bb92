"""The categoryPermissions feed (Adobe Commerce), in the shape of Adobe's category-permission-data-exporter."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import insert

from exporters.exceptions import FeedNotAvailable
from exporters.feeds import CATEGORY_PERMISSIONS
from exporters.feedtable import feed_id, upgrade
from exporters.model import Item
from exporters.runs import MAX_ID, Runtime, start_run
from exporters.sample_data import generate
from exporters.source import schema as s
from tests.support.catalog import Catalog
from tests.support.feeds import build_feed, group_code

FW, FG = "FALLBACK_WEBSITE", "FALLBACK_CUSTOMER_GROUP"
PREFIX = "catalog/magento_catalogpermissions/"


def commerce_catalog(url: str, websites: int = 1) -> Catalog:
    """A catalog with the Commerce permissions table and categories 10 and 11."""
    catalog = Catalog(url, websites=websites)
    s.magento_catalogpermissions.create(catalog.engine)
    catalog.add_category(10, "1/2", {"admin": "a"})
    catalog.add_category(11, "1/2/10", {"admin": "a/b"})
    return catalog


def add_permissions(catalog: Catalog, rows: list[tuple[int, int | None, int | None, int, int, int]]) -> None:
    """Rows of (category, website, group, view, price, checkout), permission ids 1, 2, ..."""
    with catalog.engine.begin() as conn:
        conn.execute(
            insert(s.magento_catalogpermissions),
            [
                {
                    "permission_id": n,
                    "category_id": c,
                    "website_id": w,
                    "customer_group_id": g,
                    "grant_catalog_category_view": view,
                    "grant_catalog_product_price": price,
                    "grant_checkout_items": checkout,
                }
                for n, (c, w, g, view, price, checkout) in enumerate(rows, start=1)
            ],
        )


def set_config(catalog: Catalog, rows: list[tuple[str, int, str, str]]) -> None:
    """core_config_data rows of (scope, scope id, setting, value) under the permissions prefix."""
    with catalog.engine.begin() as conn:
        conn.execute(
            insert(s.core_config_data),
            [{"scope": scope, "scope_id": sid, "path": PREFIX + name, "value": v} for scope, sid, name, v in rows],
        )


def without_modified_at(item: Item) -> dict[str, Any]:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", item["modifiedAt"])
    return {k: v for k, v in item.items() if k != "modifiedAt"}


def by_type(items: list[Item], kind: str) -> list[dict[str, Any]]:
    return [without_modified_at(i) for i in items if i["type"] == kind]


def test_each_permission_row_is_one_standard_item_with_fallback_scopes_for_null(make_db) -> None:
    # Given a wildcard row, an explicit row that denies browsing, and an all-websites row for group 2
    catalog = commerce_catalog(make_db("sqlite"))
    add_permissions(catalog, [
        (10, None, None, -1, -1, -2),
        (10, 1, 1, -2, 0, -1),
        (11, None, 2, -1, 0, 0),
    ])  # fmt: skip
    # When the categoryPermissions feed is built
    result = build_feed(CATEGORY_PERMISSIONS, catalog.url)
    # Then each row is one item, as Magento keeps it: NULL scopes are the fallback scopes, no expansion;
    # a row that denies browsing denies the price and the cart too
    assert result.failures == []
    assert by_type(result.items, "STANDARD") == [
        {"_permission_id": 1, "_website_id": FW, "_customer_group_id": FG,
         "id": {"websiteCode": FW, "customerGroupCode": FG, "categoryId": "10"}, "type": "STANDARD",
         "permission": {"DISPLAYED": "ALLOW", "ADD_TO_CART": "DENY", "DISPLAY_PRODUCT_PRICE": "ALLOW"},
         "deleted": False},
        {"_permission_id": 2, "_website_id": "1", "_customer_group_id": "1",
         "id": {"websiteCode": "base", "customerGroupCode": group_code(1), "categoryId": "10"}, "type": "STANDARD",
         "permission": {"DISPLAYED": "DENY", "ADD_TO_CART": "DENY", "DISPLAY_PRODUCT_PRICE": "DENY"},
         "deleted": False},
        {"_permission_id": 3, "_website_id": FW, "_customer_group_id": "2",
         "id": {"websiteCode": FW, "customerGroupCode": group_code(2), "categoryId": "11"}, "type": "STANDARD",
         "permission": {"DISPLAYED": "ALLOW", "ADD_TO_CART": "USE_PARENT", "DISPLAY_PRODUCT_PRICE": "USE_PARENT"},
         "deleted": False},
    ]  # fmt: skip


def test_without_configuration_the_global_items_carry_magentos_defaults(make_db) -> None:
    # Given no catalog/magento_catalogpermissions configuration at all
    catalog = commerce_catalog(make_db("sqlite"))
    # When the feed is built
    result = build_feed(CATEGORY_PERMISSIONS, catalog.url)
    # Then one GLOBAL item per setting, for the fallback scope: disabled, everything else allowed
    assert result.failures == []
    assert by_type(result.items, "GLOBAL") == [
        {"_permission_id": 0, "_website_id": FW, "_customer_group_id": FG,
         "id": {"websiteCode": FW, "customerGroupCode": FG, "categoryId": key}, "type": "GLOBAL",
         "permission": {key: value}, "deleted": False}
        for key, value in [("GLOBAL_ENABLED", "DENY"), ("DISPLAYED", "ALLOW"), ("DISPLAY_PRODUCT_PRICE", "ALLOW"),
                           ("ADD_TO_CART", "ALLOW")]
    ]  # fmt: skip


def test_a_website_is_sent_where_it_differs_from_the_default_and_groups_are_listed(make_db) -> None:
    # Given permissions enabled; browsing allowed by default but not on website_2; prices for groups 1 and 2
    # by default; the cart allowed by default and, saying the same, on base
    catalog = commerce_catalog(make_db("sqlite"), websites=2)
    w2 = catalog.website_id("website_2")
    set_config(catalog, [
        ("default", 0, "enabled", "1"),
        ("default", 0, "grant_catalog_category_view", "1"),
        ("websites", w2, "grant_catalog_category_view", "0"),
        ("default", 0, "grant_catalog_product_price", "2"),
        ("default", 0, "grant_catalog_product_price_groups", "1,2"),
        ("default", 0, "grant_checkout_items", "1"),
        ("websites", 1, "grant_checkout_items", "1"),
        ("stores", 1, "grant_checkout_items", "0"),  # a store-level row is not a scope of these settings
    ])  # fmt: skip
    # When the feed is built
    result = build_feed(CATEGORY_PERMISSIONS, catalog.url)
    # Then the default scope is sent for each setting, website_2 for browsing only, and the price per group
    assert result.failures == []
    got = {(i["id"]["categoryId"], i["id"]["websiteCode"], i["id"]["customerGroupCode"]): (i["permission"],
           i["_website_id"], i["_customer_group_id"]) for i in by_type(result.items, "GLOBAL")}  # fmt: skip
    assert got == {
        ("GLOBAL_ENABLED", FW, FG): ({"GLOBAL_ENABLED": "ALLOW"}, FW, FG),
        ("DISPLAYED", FW, FG): ({"DISPLAYED": "ALLOW"}, FW, FG),
        ("DISPLAYED", "website_2", FG): ({"DISPLAYED": "DENY"}, str(w2), FG),
        ("DISPLAY_PRODUCT_PRICE", FW, group_code(1)): ({"DISPLAY_PRODUCT_PRICE": "ALLOW"}, FW, "1"),
        ("DISPLAY_PRODUCT_PRICE", FW, group_code(2)): ({"DISPLAY_PRODUCT_PRICE": "ALLOW"}, FW, "2"),
        ("ADD_TO_CART", FW, FG): ({"ADD_TO_CART": "ALLOW"}, FW, FG),
    }


def test_a_setting_that_is_not_a_state_fails_its_scope(make_db) -> None:
    # Given browsing set to 7 on the default scope
    catalog = commerce_catalog(make_db("sqlite"))
    set_config(catalog, [("default", 0, "grant_catalog_category_view", "7")])
    # When the feed is built
    result = build_feed(CATEGORY_PERMISSIONS, catalog.url)
    # Then that one setting fails, naming the value; the other settings are sent
    assert [(f.source_id, f.error, f.identity) for f in result.failures] == [
        (0, "catalog/magento_catalogpermissions/grant_catalog_category_view is '7' at FALLBACK_WEBSITE: "
         "not 0, 1 or 2", {"id.categoryId": "DISPLAYED", "id.websiteCode": FW, "id.customerGroupCode": FG}),
    ]  # fmt: skip
    assert [i["id"]["categoryId"] for i in result.items] == ["GLOBAL_ENABLED", "DISPLAY_PRODUCT_PRICE", "ADD_TO_CART"]


def test_only_the_chunk_holding_permission_id_0_builds_the_global_items(make_db) -> None:
    # Given one permission row (permission id 1)
    catalog = commerce_catalog(make_db("sqlite"))
    add_permissions(catalog, [(10, None, None, -1, -1, -1)])
    # When the range 1..MAX is built, then it has the row and no global item
    assert [i["type"] for i in build_feed(CATEGORY_PERMISSIONS, catalog.url, 1, MAX_ID).items] == ["STANDARD"]
    # and the range 0..0 has the four global items only
    assert [i["type"] for i in build_feed(CATEGORY_PERMISSIONS, catalog.url, 0, 0).items] == ["GLOBAL"] * 4


def test_a_row_with_a_grant_magento_does_not_know_fails_that_row(make_db) -> None:
    # Given a row whose checkout grant is 5, beside a good one
    catalog = commerce_catalog(make_db("sqlite"))
    add_permissions(catalog, [(10, 1, None, -1, -1, 5), (11, 1, None, -1, -1, -1)])
    # When the range of the rows is built
    result = build_feed(CATEGORY_PERMISSIONS, catalog.url, 1, MAX_ID)
    # Then the bad row fails, named by its scope; the good one is an item
    assert [(f.source_id, f.error, f.identity) for f in result.failures] == [
        (1, "category permission 1 (category 10): unknown grant grant_checkout_items 5",
         {"id.categoryId": "10", "id.websiteCode": "base", "id.customerGroupCode": FG}),
    ]  # fmt: skip
    assert [i["id"]["categoryId"] for i in result.items] == ["11"]


def test_the_identity_is_the_nested_id_and_keeps_the_feed_ids_of_the_flat_items(make_db) -> None:
    # Given an explicit-scope row
    catalog = commerce_catalog(make_db("sqlite"))
    add_permissions(catalog, [(10, 1, 1, -1, -1, -1)])
    # When it is built
    (item,) = build_feed(CATEGORY_PERMISSIONS, catalog.url, 1, MAX_ID).items
    # Then its feed id is that of id{categoryId, websiteCode, customerGroupCode}, the one the flat items of
    # earlier versions had for the same scope (their rows are updated in place, not deleted and re-added)
    flat = {"categoryId": "10", "websiteCode": "base", "customerGroupCode": group_code(1)}
    assert feed_id(item, CATEGORY_PERMISSIONS.identity) == feed_id(flat, ("categoryId", "websiteCode",
                                                                            "customerGroupCode"))  # fmt: skip
    # and a stored flat payload (an older row's tombstone) still answers the nested identity
    assert feed_id(flat, CATEGORY_PERMISSIONS.identity) == feed_id(item, CATEGORY_PERMISSIONS.identity)


def test_a_commerce_sample_catalog_exports_its_permissions(make_db) -> None:
    # Given an Adobe Commerce sample catalog
    url = make_db("sqlite")
    generate(url, "small", products=60, seed=3, edition="commerce")
    # When the categoryPermissions feed is built
    result = build_feed(CATEGORY_PERMISSIONS, url)
    # Then it has its permission rows and the four global items, and no failure
    assert result.failures == []
    assert sum(i["type"] == "GLOBAL" for i in result.items) == 4
    assert sum(i["type"] == "STANDARD" for i in result.items) > 0


def test_an_open_source_database_has_nothing_to_export(make_db, tmp_path) -> None:
    # Given an Open Source sample catalog (no magento_catalogpermissions)
    url = make_db("sqlite")
    generate(url, "small", products=30, seed=3)
    rt = Runtime.create(url, make_db("sqlite"), f"file://{tmp_path}", "default")
    upgrade(rt.feed_engine)
    # When a categoryPermissions run starts, then it is refused, naming the table and the database
    with pytest.raises(FeedNotAvailable) as raised:
        start_run(rt, CATEGORY_PERMISSIONS, batch_size=10, thread_count=1, options={})
    assert str(raised.value) == (
        f"categoryPermissions needs the Adobe Commerce table magento_catalogpermissions, which {url} does not have "
        "(an Open Source database): nothing to export"
    )
