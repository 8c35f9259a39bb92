"""The productOverrides feed (Adobe Commerce): what each customer group may see and buy.

One item per product × website it is assigned to × customer group. For each of the three grants
(view the product, see its price, add it to the cart), each category of the product is walked
up its path: the nearest category with an explicit grant (ALLOW or DENY) for that website and
group decides; INHERIT, or no row at all, defers to the parent; a category without any explicit
grant up to the root allows. The product is allowed when any of its categories allows, and a
product in no category is allowed (docs/product-overrides-feed.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_, select

from exporters.feeds.base import FeedSpec, customer_group_code
from exporters.feeds.permissions import scoped_rows
from exporters.model import BuildResult, Item
from exporters.source import MagentoSource
from exporters.source.schema import (
    catalog_category_product,
    catalog_product_entity,
    catalog_product_website,
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
_IN_BATCH = 1000


def category_allows(ancestors: list[int], scoped: Mapping[tuple[int, int, int], Any], website: int, group: int,
                    column: str) -> bool:  # fmt: skip
    """The nearest explicit grant on the path (category first, root last); none means allowed."""
    for category_id in ancestors:
        row = scoped.get((category_id, website, group))
        if row is not None and int(getattr(row, column)) in (ALLOW, DENY):
            return int(getattr(row, column)) == ALLOW
    return True


def build_overrides(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every productOverrides item for product ids ``lo..hi`` (inclusive)."""
    edition = source.edition
    e, w, ccp, cce = edition.products, catalog_product_website, catalog_category_product, edition.categories
    p, g = magento_catalogpermissions, customer_group
    with source.connect() as conn:
        products = conn.execute(
            select(e.c.entity_id, e.c.sku).where(id_between(e.c.entity_id, lo, hi), edition.live(e))
        ).all()
        websites: dict[int, list[int]] = defaultdict(list)
        for product_id, website_id in conn.execute(
            select(w.c.product_id, w.c.website_id).where(id_between(w.c.product_id, lo, hi))
        ):
            websites[product_id].append(website_id)
        paths: dict[int, list[int]] = defaultdict(list)  # product -> [path of each category, as ids]
        ancestors_of: dict[int, list[int]] = {}
        for product_id, category_id, path in conn.execute(
            select(ccp.c.product_id, ccp.c.category_id, cce.c.path)
            .join(cce, and_(cce.c.entity_id == ccp.c.category_id, edition.live(cce)))
            .where(id_between(ccp.c.product_id, lo, hi))
        ):
            ancestors_of[category_id] = [int(part) for part in reversed(str(path).split("/"))]
            paths[product_id].append(category_id)
        on_paths = sorted({c for chain in ancestors_of.values() for c in chain})
        rows: list[Any] = []
        for start in range(0, len(on_paths), _IN_BATCH):
            rows.extend(conn.execute(select(p).where(p.c.category_id.in_(on_paths[start : start + _IN_BATCH]))))
        groups = list(conn.execute(select(g.c.customer_group_id).order_by(g.c.customer_group_id)).scalars())
    scoped = scoped_rows(rows, list(source.scopes.websites), groups)
    result = BuildResult()
    for product in products:
        if product.sku is None:
            continue
        chains = [ancestors_of[c] for c in sorted(paths.get(product.entity_id, ()))]
        for website_id in sorted(websites.get(product.entity_id, ())):
            website = source.scopes.websites.get(website_id)
            if website is None:
                continue
            for group_id in groups:
                item: Item = {
                    "productId": str(product.entity_id),
                    "sku": product.sku,
                    "websiteCode": website.code,
                    "customerGroupCode": customer_group_code(group_id),
                    **{
                        field: not chains
                        or any(category_allows(chain, scoped, website_id, group_id, column) for chain in chains)
                        for field, column in GRANTS.items()
                    },
                    "deleted": False,
                }
                result.items.append(item)
    return result


PRODUCT_OVERRIDES = FeedSpec(
    name="productOverrides",
    summary="Product Overrides Feed",
    mode="immediate",
    table="cde_product_overrides_feed",
    identity=("sku", "websiteCode", "customerGroupCode"),
    minimal_payload=("productId", "sku", "websiteCode", "customerGroupCode"),
    source_key="productId",
    source_ids=catalog_product_entity.c.entity_id,
    builder=build_overrides,
    schema_file="productOverrides.json",
    requires_table=magento_catalogpermissions.name,
)
