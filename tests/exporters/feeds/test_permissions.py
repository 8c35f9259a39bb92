"""The categoryPermissions feed (Adobe Commerce)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from exporters.exceptions import FeedNotAvailable
from exporters.feeds import CATEGORY_PERMISSIONS
from exporters.feedtable import upgrade
from exporters.runs import Runtime, start_run
from exporters.sample_data import generate
from exporters.source import schema as s
from tests.support.feeds import build_feed, group_code
from tests.support.hand_catalog import HandBuilt


def test_wildcard_rows_expand_to_every_scope_an_explicit_row_does_not_cover(hand_catalog: HandBuilt) -> None:
    # Given an all-websites/all-groups row on category 10 and an explicit one for base / General
    catalog = hand_catalog.catalog
    s.magento_catalogpermissions.create(catalog.engine, checkfirst=True)
    with catalog.engine.begin() as conn:
        conn.execute(s.magento_catalogpermissions.delete())
        conn.execute(insert(s.magento_catalogpermissions), [
            {"category_id": 10, "website_id": None, "customer_group_id": None, "grant_catalog_category_view": -1,
             "grant_catalog_product_price": -1, "grant_checkout_items": -2},
            {"category_id": 10, "website_id": 1, "customer_group_id": 1, "grant_catalog_category_view": -2,
             "grant_catalog_product_price": 0, "grant_checkout_items": -1},
        ])  # fmt: skip
    # When the categoryPermissions feed is built
    result = build_feed(CATEGORY_PERMISSIONS, catalog.url)
    items = {(i["websiteCode"], i["customerGroupCode"]): i for i in result.items}
    # Then two websites x four groups, the explicit row winning for its scope
    assert len(items) == 8 and result.failures == []
    assert items[("base", group_code(1))] == {
        "categoryId": "10", "websiteCode": "base", "customerGroupCode": group_code(1), "displayProducts": "DENY",
        "displayProductPrice": "INHERIT", "allowCheckout": "ALLOW", "deleted": False,
    }  # fmt: skip
    assert items[("website_2", group_code(1))]["displayProducts"] == "ALLOW"
    assert {i["allowCheckout"] for k, i in items.items() if k != ("base", group_code(1))} == {"DENY"}


def test_a_commerce_sample_catalog_exports_its_permissions(make_db) -> None:
    # Given an Adobe Commerce sample catalog
    url = make_db("sqlite")
    generate(url, "small", products=60, seed=3, edition="commerce")
    # When the categoryPermissions feed is built
    result = build_feed(CATEGORY_PERMISSIONS, url)
    # Then it has items and no failure
    assert result.failures == [] and len(result.items) > 0


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
