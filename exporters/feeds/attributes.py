"""The productAttributes feed: one item per product attribute × store view.

Decisions where the contract is silent (docs/product-attributes-feed.md): ``attributeType`` is
the entity type (``catalog_product``), ``dataType`` the backend type, ``numeric`` a decimal
attribute or an integer one entered as text, price or weight; booleans come from the
``catalog_eav_attribute`` flags.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import select

from exporters.clock import now_text
from exporters.feeds.base import EAV_TABLES, SCOPE_TABLES, FeedSpec
from exporters.model import BuildResult, Item
from exporters.source import MagentoSource
from exporters.source.schema import (
    catalog_eav_attribute,
    eav_attribute,
    eav_attribute_label,
    eav_entity_type,
    id_between,
)

ENTITY_TYPE = "catalog_product"
#: Item field <- catalog_eav_attribute flag.
FLAGS = {
    "visible": "is_visible",
    "searchable": "is_searchable",
    "filterable": "is_filterable",
    "visibleInCompareList": "is_comparable",
    "visibleInListing": "used_in_product_listing",
    "sortable": "used_for_sort_by",
    "visibleInSearch": "is_visible_in_advanced_search",
    "filterableInSearch": "is_filterable_in_search",
    "usedForRules": "is_used_for_promo_rules",
}


def build_attributes(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every productAttributes item for attribute ids ``lo..hi`` (inclusive)."""
    a, c, t, lbl = eav_attribute, catalog_eav_attribute, eav_entity_type, eav_attribute_label
    views = list(source.scopes.store_views.values())
    with source.connect() as conn:
        rows = conn.execute(
            select(a, *(c.c[flag] for flag in FLAGS.values()), c.c.is_global, c.c.search_weight)
            .join(t, t.c.entity_type_id == a.c.entity_type_id)
            .outerjoin(c, c.c.attribute_id == a.c.attribute_id)
            .where(t.c.entity_type_code == ENTITY_TYPE, id_between(a.c.attribute_id, lo, hi))
            .order_by(a.c.attribute_id)
        ).all()
        labels: dict[int, dict[int, str | None]] = defaultdict(dict)
        for attribute_id, store_id, value in conn.execute(
            select(lbl.c.attribute_id, lbl.c.store_id, lbl.c.value).where(id_between(lbl.c.attribute_id, lo, hi))
        ):
            labels[attribute_id][store_id] = value
    modified_at, result = now_text(), BuildResult()
    for row in rows:
        frontend_input = row.frontend_input or ""
        base: Item = {
            "id": str(row.attribute_id),
            "attributeCode": row.attribute_code,
            "attributeType": ENTITY_TYPE,
            "dataType": row.backend_type,
            "multi": frontend_input == "multiselect",
            "frontendInput": row.frontend_input,
            "required": bool(row.is_required),
            "unique": bool(row.is_unique),
            "global": (1 if row.is_global is None else int(row.is_global)) == 1,
            **{field: bool(getattr(row, flag) or 0) for field, flag in FLAGS.items()},
            "searchWeight": float(row.search_weight if row.search_weight is not None else 1),
            "boolean": frontend_input == "boolean",
            "systemAttribute": not row.is_user_defined,
            "numeric": row.backend_type == "decimal"
            or (row.backend_type == "int" and frontend_input in ("text", "price", "weight")),
            "modifiedAt": modified_at,
            "deleted": False,
        }
        for view in views:
            store_label = labels.get(row.attribute_id, {}).get(view.store_id)
            result.items.append(
                {
                    **base,
                    "label": store_label if store_label else row.frontend_label,
                    "storeViewCode": view.code,
                    "storeCode": view.group_code,
                    "websiteCode": view.website_code,
                }
            )
    return result


PRODUCT_ATTRIBUTES = FeedSpec(
    name="productAttributes",
    summary="Product Attributes Feed",
    mode="immediate",
    table="cde_product_attributes_feed",
    identity=("attributeCode", "storeViewCode"),
    minimal_payload=("id", "attributeCode", "attributeType", "storeViewCode", "storeCode", "websiteCode", "modifiedAt"),
    source_key="id",
    source_ids=eav_attribute.c.attribute_id,
    builder=build_attributes,
    schema_file="productAttributes.json",
    reads=(*SCOPE_TABLES, *EAV_TABLES, "eav_attribute_label"),
)
