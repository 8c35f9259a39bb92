"""The scopes feeds (legacy): websites with their groups and views, and customer groups."""

from __future__ import annotations

import hashlib

from exporters.feeds import SCOPES_CUSTOMER_GROUP, SCOPES_WEBSITE, validate
from exporters.runs import MAX_ID, RunStore, finalize_run, process_chunk, start_run
from exporters.runs.runtime import Runtime
from exporters.source import MagentoSource
from tests.exporters.conftest import HandBuilt


def test_each_storefront_website_with_its_stores_and_views(hand_catalog: HandBuilt) -> None:
    result = validate(SCOPES_WEBSITE, SCOPES_WEBSITE.builder(MagentoSource(hand_catalog.url), 0, MAX_ID))
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
    result = validate(SCOPES_CUSTOMER_GROUP, SCOPES_CUSTOMER_GROUP.builder(MagentoSource(hand_catalog.url), 0, MAX_ID))
    assert result.items == [
        {
            "customerGroupId": str(group_id),
            "customerGroupCode": hashlib.sha1(str(group_id).encode()).hexdigest(),
            "websites": ["base", "website_2"],
            "deleted": False,
        }
        for group_id in (0, 1, 2, 3)
    ]


def test_a_legacy_full_resync_sends_everything_again(runtime: Runtime) -> None:
    # Given two full resyncs of scopesCustomerGroup with nothing changed in between
    for _ in range(2):
        planned = start_run(runtime, SCOPES_CUSTOMER_GROUP, batch_size=10, thread_count=1, options={})
        for seq in range(planned.chunks):
            process_chunk(runtime, planned.run_id, seq, "test")
        assert finalize_run(runtime, planned.run_id) is not None
    # Then both sent the four groups: a legacy feed is resubmitted whole
    runs = RunStore(runtime.feed_engine).recent("scopesCustomerGroup", 5)
    assert [(r.status, r.counts.sent, r.counts.unchanged) for r in runs] == [("succeeded", 4, 0)] * 2
