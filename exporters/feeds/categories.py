"""The categories feed: one item per category × store view whose root category is on its path.

Category EAV is resolved exactly like product EAV (``exporters.source.eav``). Decisions where
the contract is silent (docs/categories-feed.md): ids are strings, ``image`` is the stored value,
``availableSortBy`` splits the stored comma-separated codes. The flags are integers, as Adobe's
``et_schema.xml`` declares them (``Int``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from exporters.clock import format_datetime, now_text
from exporters.feeds.base import CATEGORY_VALUE_TABLES, EAV_TABLES, SCOPE_TABLES, FeedSpec
from exporters.model import BuildResult, Item, ItemFailure
from exporters.source import MagentoSource, StoreView
from exporters.source.eav import Attribute, AttributeSet, EntityValues, load_values, resolve
from exporters.source.schema import catalog_category_entity, id_between

#: Item field <- category attribute code, read as text.
TEXTS = {
    "name": "name",
    "description": "description",
    "metaTitle": "meta_title",
    "metaKeywords": "meta_keywords",
    "metaDescription": "meta_description",
    "displayMode": "display_mode",
    "urlKey": "url_key",
    "urlPath": "url_path",
    "image": "image",
    "defaultSortBy": "default_sort_by",
}
#: Item field <- category attribute code, read as a flag.
FLAGS = {"isAnchor": "is_anchor", "includeInMenu": "include_in_menu", "isActive": "is_active"}
_CODES = (*TEXTS.values(), *FLAGS.values(), "available_sort_by")
_LEADING_INT = re.compile(r"\s*([+-]?\d+)")


def _flag(value: Any) -> int | None:
    """A flag as Adobe's transformer casts an ``Int`` field: PHP's ``(int)`` of the stored value.

    No value at all stays None (Adobe leaves the field out); text without a leading number is 0.
    """
    if value is None:
        return None
    leading = _LEADING_INT.match(str(value))
    return int(leading.group(1)) if leading else 0


@dataclass(frozen=True, slots=True)
class _CategoryRows:
    """Everything the bulk queries returned for one range of categories."""

    #: Whole ``catalog_category_entity`` rows of the live categories, by entity id.
    categories: Sequence[Any]
    #: category id -> ids of its live children.
    children: Mapping[int, list[int]]
    #: The parents named by the categories that exist (a missing one fails its children).
    existing_parents: frozenset[int]
    values: Mapping[int, EntityValues]


def _read_categories(conn: Connection, source: MagentoSource, lo: int, hi: int) -> _CategoryRows:
    edition, attrs = source.edition, source.category_attributes
    c = edition.categories
    live = edition.live(c)
    categories = conn.execute(select(c).where(id_between(c.c.entity_id, lo, hi), live).order_by(c.c.entity_id)).all()
    children: dict[int, list[int]] = defaultdict(list)
    for child_id, parent_id in conn.execute(
        select(c.c.entity_id, c.c.parent_id).where(id_between(c.c.parent_id, lo, hi), live)
    ):
        children[parent_id].append(child_id)
    parent_ids = sorted({row.parent_id for row in categories if row.parent_id})
    existing_parents = frozenset(
        conn.execute(select(c.c.entity_id).where(c.c.entity_id.in_(parent_ids), live)).scalars() if parent_ids else ()
    )
    values = load_values(conn, edition, "category", attrs.ids_by_backend(_CODES), source.scopes.store_ids, lo, hi)
    return _CategoryRows(categories=categories, children=children, existing_parents=existing_parents, values=values)


@dataclass(frozen=True, slots=True)
class _CategoryAttributes:
    """The category attributes behind the item fields, looked up once per chunk (None when absent)."""

    texts: list[tuple[str, Attribute | None]]
    flags: list[tuple[str, Attribute | None]]
    sort_by: Attribute | None

    @classmethod
    def of(cls, attrs: AttributeSet) -> _CategoryAttributes:
        return cls(
            texts=[(field, attrs.get(code)) for field, code in TEXTS.items()],
            flags=[(field, attrs.get(code)) for field, code in FLAGS.items()],
            sort_by=attrs.get("available_sort_by"),
        )

    def fields(self, values: EntityValues, store_id: int) -> Item:
        """The attribute fields at a store view, in the order the contract lists them."""
        fields: Item = {}
        for field, attribute in self.texts:
            value = None if attribute is None else resolve(values, attribute, store_id)
            fields[field] = None if value is None else str(value)
        for field, attribute in self.flags:
            fields[field] = _flag(None if attribute is None else resolve(values, attribute, store_id))
        available = None if self.sort_by is None else resolve(values, self.sort_by, store_id)
        fields["availableSortBy"] = [p for p in str(available).split(",") if p] if available else []
        return fields


def _assemble_categories(source: MagentoSource, rows: _CategoryRows) -> BuildResult:
    views = list(source.scopes.store_views.values())
    attributes = _CategoryAttributes.of(source.category_attributes)
    modified_at, result = now_text(), BuildResult()
    for row in rows.categories:
        parts = str(row.path).split("/")
        in_views = [v for v in views if str(v.root_category_id) in parts]
        if not in_views:
            continue  # outside every store group's tree (the root catalog, another root's tree)
        if row.parent_id and row.parent_id not in rows.existing_parents:
            result.failures.extend(
                ItemFailure(
                    int(row.entity_id),
                    f"category {row.entity_id} has parent {row.parent_id}, which does not exist",
                    {"categoryId": str(row.entity_id), "storeViewCode": view.code},
                )
                for view in in_views
            )
            continue
        children = [str(i) for i in sorted(rows.children.get(row.entity_id, ()))]
        own = rows.values.get(row.entity_id, {})
        result.items.extend(
            _entity_fields(row, view, children, modified_at) | attributes.fields(own, view.store_id)
            for view in in_views
        )
    return result


def _entity_fields(row: Any, view: StoreView, children: list[str], modified_at: str) -> Item:
    """The fields that come from the category row and the store view rather than from EAV values."""
    return {
        "categoryId": str(row.entity_id),
        "storeViewCode": view.code,
        "storeCode": view.group_code,
        "websiteCode": view.website_code,
        "level": int(row.level),
        "path": str(row.path),
        "parentId": str(row.parent_id),
        "children": list(children),
        "position": int(row.position),
        "createdAt": format_datetime(row.created_at),
        "updatedAt": format_datetime(row.updated_at),
        "modifiedAt": modified_at,
        "deleted": False,
    }


def build_categories(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every categories item for category ids ``lo..hi`` (inclusive)."""
    with source.connect() as conn:
        rows = _read_categories(conn, source, lo, hi)
    return _assemble_categories(source, rows)


CATEGORIES = FeedSpec(
    name="categories",
    summary="Categories Feed",
    mode="immediate",
    table="cde_categories_feed",
    identity=("categoryId", "storeViewCode"),
    minimal_payload=("categoryId", "storeViewCode", "storeCode", "websiteCode", "modifiedAt"),
    source_key="categoryId",
    source_ids=catalog_category_entity.c.entity_id,
    builder=build_categories,
    schema_file="categories.json",
    reads=(*SCOPE_TABLES, *EAV_TABLES, *CATEGORY_VALUE_TABLES, "catalog_category_entity"),
)
