"""The scopes feeds (legacy): websites with their groups and views, and customer groups."""

from __future__ import annotations

from exporters.feeds import SCOPES_CUSTOMER_GROUP, SCOPES_WEBSITE
from exporters.runs import RunStore, finalize_run
from exporters.runs.runtime import Runtime
from exporters.source import MagentoSource
from tests.support.feeds import build_feed, group_code
from tests.support.hand_catalog import HandBuilt
from tests.support.runs import run_chunks


def test_each_storefront_website_with_its_stores_and_views(hand_catalog: HandBuilt) -> None:
    # Given the hand-built catalog: two websites, "fr" added to the first
    # When the scopesWebsite feed is built
    result = build_feed(SCOPES_WEBSITE, hand_catalog.url)
    # Then each website but admin is an item with its store groups and views
    assert result.failures == []
    assert result.items == [
        {
            "websiteId": "1", "websiteCode": "base", "deleted": False,
            "stores": [{"storeId": "1", "storeCode": "main_website_store", "storeViews": [
                {"storeViewId": "1", "storeViewCode": "default"},
                {"storeViewId": str(hand_catalog.catalog.store_id("fr")), "storeViewCode": "fr"},
            ]}],
        },
        {
            "websiteId": "2", "websiteCode": "website_2", "deleted": False,
            "stores": [{"storeId": "2", "storeCode": "store_group_2", "storeViews": [
                {"storeViewId": str(hand_catalog.catalog.store_id("store_view_2")), "storeViewCode": "store_view_2"},
            ]}],
        },
    ]  # fmt: skip


def test_each_customer_group_with_its_hashed_code(hand_catalog: HandBuilt) -> None:
    # Given the hand-built catalog's four customer groups; when the scopesCustomerGroup feed is built
    result = build_feed(SCOPES_CUSTOMER_GROUP, hand_catalog.url)
    # Then each group is an item with its hashed code, on both websites
    assert result.items == [
        {
            "customerGroupId": str(group_id),
            "customerGroupCode": group_code(group_id),
            "websites": ["base", "website_2"],
            "deleted": False,
        }
        for group_id in (0, 1, 2, 3)
    ]


def test_a_legacy_resync_submits_only_what_it_collected(runtime: Runtime) -> None:
    # Given two full resyncs of scopesCustomerGroup with nothing changed in between
    for _ in range(2):
        assert finalize_run(runtime, run_chunks(runtime, SCOPES_CUSTOMER_GROUP, batch_size=10)) is not None
    # Then the first submitted the four groups it collected, the second nothing: every row was
    # submitted already (docs/change-detection.md#two-modes)
    runs = RunStore(runtime.feed_engine).recent("scopesCustomerGroup", 5)
    assert [(r.status, r.counts.sent, r.counts.unchanged) for r in runs] == [("succeeded", 0, 4), ("succeeded", 4, 0)]


def test_the_luma_scopes(luma_url: str) -> None:
    # Given the real Luma database: one website, one store, one view and Magento's four groups
    source = MagentoSource(luma_url)
    # When both scopes feeds are built
    websites = build_feed(SCOPES_WEBSITE, source)
    groups = build_feed(SCOPES_CUSTOMER_GROUP, source)
    # Then each has exactly the Luma scopes
    assert websites.failures == groups.failures == []
    assert websites.items == [
        {
            "websiteId": "1", "websiteCode": "base", "deleted": False,
            "stores": [{"storeId": "1", "storeCode": "main_website_store", "storeViews": [
                {"storeViewId": "1", "storeViewCode": "default"},
            ]}],
        }
    ]  # fmt: skip
    assert [(g["customerGroupId"], g["customerGroupCode"], g["websites"]) for g in groups.items] == [
        ("0", "b6589fc6ab0dc82cf12099d1c2d40ab994e8410c", ["base"]),
        ("1", "356a192b7913b04c54574d18c28d46e6395428ab", ["base"]),
        ("2", "da4b9237bacccdf19c0760cab7aec4a8359010b0", ["base"]),
        ("3", "77de68daecd823babbb58edb1c8e14d7106e83bb", ["base"]),
    ]
