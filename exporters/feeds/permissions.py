"""The categoryPermissions feed (Adobe Commerce): one item per category permission and scope.

A ``magento_catalogpermissions`` row applies to one website and customer group, or to all of
them when the column is NULL. Decision where the contract is silent: wildcard rows are expanded
to every storefront website and customer group that no explicit row of the same category
covers, so each item names a concrete scope (``customerGroupCode`` = sha1 of the group id, as
in the prices feed). Grants read ALLOW (-1), DENY (-2) or INHERIT (0, use the parent category).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from exporters.feeds.base import SCOPE_TABLES, FeedSpec, customer_group_code
from exporters.model import BuildResult, Item
from exporters.source import MagentoSource
from exporters.source.schema import catalog_category_entity, customer_group, id_between, magento_catalogpermissions

GRANTS = {-1: "ALLOW", -2: "DENY", 0: "INHERIT"}
TABLE = magento_catalogpermissions.name


def grant(value: int) -> str:
    return GRANTS.get(int(value), str(value))


def scoped_rows(rows: Iterable[Any], websites: list[int], groups: list[int]) -> dict[tuple[int, int, int], Any]:
    """(category, website, group) -> the permission row that applies there.

    A NULL website or group means all of them; the most explicit row of a category wins for a
    scope (website and group given, then one of them, then neither).
    """
    by_scope: dict[tuple[int, int, int], tuple[int, Any]] = {}
    for row in rows:
        specificity = (row.website_id is not None) + (row.customer_group_id is not None)
        for website_id in [row.website_id] if row.website_id is not None else websites:
            for group_id in [row.customer_group_id] if row.customer_group_id is not None else groups:
                key = (int(row.category_id), int(website_id), int(group_id))
                if key not in by_scope or by_scope[key][0] < specificity:
                    by_scope[key] = (specificity, row)
    return {key: row for key, (_, row) in by_scope.items()}


def build_permissions(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every categoryPermissions item for category ids ``lo..hi`` (inclusive)."""
    p, g = magento_catalogpermissions, customer_group
    with source.connect() as conn:
        rows = conn.execute(
            select(p).where(id_between(p.c.category_id, lo, hi)).order_by(p.c.category_id, p.c.permission_id)
        ).all()
        groups = list(conn.execute(select(g.c.customer_group_id).order_by(g.c.customer_group_id)).scalars())
    websites = source.scopes.websites
    by_scope = scoped_rows(rows, list(websites), groups)
    result = BuildResult()
    for (category_id, website_id, group_id), row in sorted(by_scope.items()):
        website = websites.get(website_id)
        if website is None:
            continue
        item: Item = {
            "categoryId": str(category_id),
            "websiteCode": website.code,
            "customerGroupCode": customer_group_code(group_id),
            "displayProducts": grant(row.grant_catalog_category_view),
            "displayProductPrice": grant(row.grant_catalog_product_price),
            "allowCheckout": grant(row.grant_checkout_items),
            "deleted": False,
        }
        result.items.append(item)
    return result


CATEGORY_PERMISSIONS = FeedSpec(
    name="categoryPermissions",
    summary="Category Permissions Feed",
    mode="immediate",
    table="cde_category_permissions_feed",
    identity=("categoryId", "websiteCode", "customerGroupCode"),
    minimal_payload=("categoryId", "websiteCode", "customerGroupCode"),
    source_key="categoryId",
    source_ids=catalog_category_entity.c.entity_id,
    builder=build_permissions,
    schema_file="categoryPermissions.json",
    requires_table=TABLE,
    reads=(*SCOPE_TABLES, "catalog_category_entity", "customer_group", "magento_catalogpermissions"),
)
