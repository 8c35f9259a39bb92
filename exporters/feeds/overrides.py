"""The productOverrides feed (Adobe Commerce): what each customer group may see and buy.

One item per product × website it is assigned to × customer group. For each of the three grants
(view the product, see its price, add it to the cart), each category of the product is walked
up its path: the nearest category with an explicit grant (ALLOW or DENY) for that website and
group decides; INHERIT, or no row at all, defers to the parent; a category without any explicit
grant up to the root allows. The product is allowed when any of its categories allows, and a
product in no category is allowed (docs/product-overrides-feed.md).

``productId`` is an integer (Adobe's ``Int``); ``modifiedAt`` is when the item was built, as
Adobe's indexer stamps the items of a feed whose minimal payload names it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from more_itertools import chunked
from sqlalchemy import Connection, and_, select

from exporters.clock import now_text
from exporters.feeds.base import SCOPE_TABLES, FeedSpec, customer_group_code, read_product_websites
from exporters.feeds.permissions import scoped_rows
from exporters.model import BuildResult, Item
from exporters.source import MagentoSource, Website
from exporters.source.edition import Edition
from exporters.source.schema import (
    catalog_category_product,
    catalog_product_entity,
    customer_group,
    id_between,
    magento_catalogpermissions,
)

ALLOW, DENY = -1, -2
#: Item field <- permission column.
GRANTS = {
    "displayable": "grant_catalog_category_view",
    "priceDisplayable": "grant_catalog_product_price",
    "addToCartAllowed": "grant_checkout_items",
}
#: Category ids per ``IN (...)`` list: SQLite caps bound parameters, other servers like short lists.
_IN_BATCH = 1000


def category_allows(ancestors: list[int], scoped: Mapping[tuple[int, int, int], Any], website: int, group: int,
                    column: str) -> bool:  # fmt: skip
    """The nearest explicit grant on the path (category first, root last); none means allowed."""
    for category_id in ancestors:
        row = scoped.get((category_id, website, group))
        if row is not None and int(getattr(row, column)) in (ALLOW, DENY):
            return int(getattr(row, column)) == ALLOW
    return True


@dataclass(frozen=True, slots=True)
class _OverrideRows:
    """Everything the bulk queries returned for one range of products."""

    #: (entity_id, sku) of each live product.
    products: Sequence[Any]
    websites: Mapping[int, list[int]]
    #: product id -> its live categories.
    categories: Mapping[int, list[int]]
    #: category id -> the ids on its path, itself first and the root last.
    ancestors: Mapping[int, list[int]]
    #: The ``magento_catalogpermissions`` rows of every category on those paths.
    permissions: list[Any]
    #: Every customer group id, ascending.
    groups: list[int]


def _read_overrides(conn: Connection, source: MagentoSource, lo: int, hi: int) -> _OverrideRows:
    edition = source.edition
    e, g = edition.products, customer_group
    products = conn.execute(
        select(e.c.entity_id, e.c.sku).where(id_between(e.c.entity_id, lo, hi), edition.live(e))
    ).all()
    websites = read_product_websites(conn, lo, hi)
    categories, ancestors = _read_category_paths(conn, edition, lo, hi)
    on_paths = sorted({c for chain in ancestors.values() for c in chain})
    permissions = _read_permissions(conn, on_paths)
    groups = list(conn.execute(select(g.c.customer_group_id).order_by(g.c.customer_group_id)).scalars())
    return _OverrideRows(
        products=products,
        websites=websites,
        categories=categories,
        ancestors=ancestors,
        permissions=permissions,
        groups=groups,
    )


def _read_category_paths(
    conn: Connection, edition: Edition, lo: int, hi: int
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """product id -> its live categories, and category id -> the ids on its path (nearest first)."""
    ccp, cce = catalog_category_product, edition.categories
    categories: dict[int, list[int]] = defaultdict(list)
    ancestors: dict[int, list[int]] = {}
    for product_id, category_id, path in conn.execute(
        select(ccp.c.product_id, ccp.c.category_id, cce.c.path)
        .join(cce, and_(cce.c.entity_id == ccp.c.category_id, edition.live(cce)))
        .where(id_between(ccp.c.product_id, lo, hi))
    ):
        ancestors[category_id] = [int(part) for part in reversed(str(path).split("/"))]
        categories[product_id].append(category_id)
    return categories, ancestors


def _read_permissions(conn: Connection, category_ids: list[int]) -> list[Any]:
    """The permission rows of the categories: the nearest explicit grant may be on any ancestor."""
    p = magento_catalogpermissions
    rows: list[Any] = []
    for batch in chunked(category_ids, _IN_BATCH):
        rows.extend(conn.execute(select(p).where(p.c.category_id.in_(batch))))
    return rows


def _assemble_overrides(source: MagentoSource, rows: _OverrideRows) -> BuildResult:
    websites = source.scopes.websites
    scoped = scoped_rows(rows.permissions, list(websites), rows.groups)
    modified_at, result = now_text(), BuildResult()
    for product in rows.products:
        if product.sku is None:
            continue
        chains = [rows.ancestors[c] for c in sorted(rows.categories.get(product.entity_id, ()))]
        for website_id in sorted(rows.websites.get(product.entity_id, ())):
            website = websites.get(website_id)
            if website is None:
                continue
            result.items.extend(
                _item(product, website, group_id, chains, scoped, modified_at) for group_id in rows.groups
            )
    return result


def _item(
    product: Any,
    website: Website,
    group_id: int,
    chains: list[list[int]],
    scoped: Mapping[tuple[int, int, int], Any],
    modified_at: str,
) -> Item:
    """A product in no category is allowed; otherwise a grant holds when any of its categories allows it."""
    return {
        "productId": int(product.entity_id),
        "sku": product.sku,
        "websiteCode": website.code,
        "customerGroupCode": customer_group_code(group_id),
        **{
            field: not chains
            or any(category_allows(chain, scoped, website.website_id, group_id, column) for chain in chains)
            for field, column in GRANTS.items()
        },
        "deleted": False,
        "modifiedAt": modified_at,
    }


def build_overrides(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every productOverrides item for product ids ``lo..hi`` (inclusive)."""
    with source.connect() as conn:
        rows = _read_overrides(conn, source, lo, hi)
    return _assemble_overrides(source, rows)


PRODUCT_OVERRIDES = FeedSpec(
    name="productOverrides",
    summary="Product Overrides Feed",
    mode="immediate",
    table="cde_product_overrides_feed",
    identity=("sku", "websiteCode", "customerGroupCode"),
    minimal_payload=("productId", "sku", "websiteCode", "customerGroupCode", "modifiedAt"),
    source_key="productId",
    source_ids=catalog_product_entity.c.entity_id,
    builder=build_overrides,
    schema_file="productOverrides.json",
    requires_table=magento_catalogpermissions.name,
    reads=(
        *SCOPE_TABLES,
        "catalog_product_entity",
        "catalog_product_website",
        "catalog_category_product",
        "catalog_category_entity",
        "customer_group",
        "magento_catalogpermissions",
    ),
)
