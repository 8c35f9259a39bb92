"""The scopes feeds (legacy mode): one item per website, one per customer group.

Legacy feeds are small; a full resync re-sends every item (see ``FeedSpec.mode``) instead of
only the changed ones, as the original resets their submitted state on a full resync.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import select

from exporters.feeds.base import SCOPE_TABLES, FeedSpec, customer_group_code
from exporters.model import BuildResult, Item
from exporters.source import MagentoSource
from exporters.source.schema import customer_group, id_between, store_website


def build_websites(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """``{websiteId, websiteCode, stores[{storeId, storeCode, storeViews[…]}]}`` per storefront website."""
    scopes, result = source.scopes, BuildResult()
    groups: dict[int, dict[int, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    group_codes: dict[int, str] = {}
    for view in scopes.store_views.values():
        groups[view.website_id][view.group_id].append((view.store_id, view.code))
        group_codes[view.group_id] = view.group_code
    for website_id, website in sorted(scopes.websites.items()):
        if not lo <= website_id <= hi:
            continue
        item: Item = {
            "websiteId": str(website_id),
            "websiteCode": website.code,
            "stores": [
                {
                    "storeId": str(group_id),
                    "storeCode": group_codes[group_id],
                    "storeViews": [{"storeViewId": str(sid), "storeViewCode": code} for sid, code in sorted(views)],
                }
                for group_id, views in sorted(groups[website_id].items())
            ],
            "deleted": False,
        }
        result.items.append(item)
    return result


def build_customer_groups(
    source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None
) -> BuildResult:
    """``{customerGroupId, customerGroupCode, websites[]}``; every group applies to every website."""
    g = customer_group
    with source.connect() as conn:
        query = select(g.c.customer_group_id).where(id_between(g.c.customer_group_id, lo, hi))
        ids = conn.execute(query.order_by(g.c.customer_group_id)).scalars().all()
    websites = sorted(w.code for w in source.scopes.websites.values())
    result = BuildResult()
    for group_id in ids:
        result.items.append(
            {
                "customerGroupId": str(group_id),
                "customerGroupCode": customer_group_code(int(group_id)),
                "websites": websites,
                "deleted": False,
            }
        )
    return result


SCOPES_WEBSITE = FeedSpec(
    name="scopesWebsite",
    summary="Scopes Websites Feed",
    mode="legacy",
    table="scopes_website_data_exporter",
    identity=("websiteCode",),
    minimal_payload=("websiteId", "websiteCode"),
    source_key="websiteId",
    source_ids=store_website.c.website_id,
    builder=build_websites,
    schema_file="scopesWebsite.json",
    reads=SCOPE_TABLES,
)
SCOPES_CUSTOMER_GROUP = FeedSpec(
    name="scopesCustomerGroup",
    summary="Scopes Customer Groups Feed",
    mode="legacy",
    table="scopes_customergroup_data_exporter",
    identity=("customerGroupCode",),
    minimal_payload=("customerGroupId", "customerGroupCode"),
    source_key="customerGroupId",
    source_ids=customer_group.c.customer_group_id,
    builder=build_customer_groups,
    schema_file="scopesCustomerGroup.json",
    reads=(*SCOPE_TABLES, "customer_group"),
)
