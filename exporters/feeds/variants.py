"""The variants feed: one item per configurable parent × child (``catalog_product_super_link``).

Chunked by the parent's entity id. The option values of an item are the child's values of the
parent's super attributes, labelled at store 0 (the feed has no store view).
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from more_itertools import chunked
from sqlalchemy import Connection, and_, select

from exporters.clock import now_text
from exporters.feeds.base import EAV_TABLES, PRODUCT_VALUE_TABLES, SCOPE_TABLES, FeedSpec
from exporters.model import BuildResult, Item, ItemFailure
from exporters.source import MagentoSource
from exporters.source.schema import (
    catalog_product_entity,
    catalog_product_super_attribute,
    catalog_product_super_link,
    id_between,
)

#: Child ids per ``IN (...)`` list: SQLite caps bound parameters, other servers like short lists.
_IN_BATCH = 1000


def variant_id(parent_sku: str, child_sku: str) -> str:
    return hashlib.md5(f"configurable/{parent_sku}/{child_sku}".encode()).hexdigest()


def option_uid(attribute_id: int, option_id: int) -> str:
    return base64.b64encode(f"configurable/{attribute_id}/{option_id}".encode()).decode()


@dataclass(frozen=True, slots=True)
class _VariantRows:
    """Everything the bulk queries returned for the configurables of one range."""

    #: (parent id, parent sku, child id, child sku or None when the child is gone), by parent then child.
    links: Sequence[Any]
    #: parent id -> its super attribute ids, by position.
    super_attributes: Mapping[int, list[int]]
    #: child id -> attribute id -> its store-0 value.
    child_values: Mapping[int, dict[int, Any]]


def _read_variants(conn: Connection, source: MagentoSource, lo: int, hi: int) -> _VariantRows:
    # The parent side of both tables holds the parent's link id (its live row_id on Commerce).
    edition = source.edition
    parent, child = edition.products.alias("parent"), edition.products.alias("child")
    link, super_attribute = catalog_product_super_link, catalog_product_super_attribute
    links = conn.execute(
        select(parent.c.entity_id, parent.c.sku, link.c.product_id, child.c.sku)
        .join_from(link, parent, edition.live_link(parent, link.c.parent_id))
        .outerjoin(child, and_(child.c.entity_id == link.c.product_id, edition.live(child)))
        .where(id_between(parent.c.entity_id, lo, hi), parent.c.type_id == "configurable")
        .order_by(parent.c.entity_id, link.c.product_id)
    ).all()
    super_attributes: dict[int, list[int]] = defaultdict(list)
    for product_id, attribute_id in conn.execute(
        select(parent.c.entity_id, super_attribute.c.attribute_id)
        .join_from(super_attribute, parent, edition.live_link(parent, super_attribute.c.product_id))
        .where(id_between(parent.c.entity_id, lo, hi))
        .order_by(parent.c.entity_id, super_attribute.c.position, super_attribute.c.attribute_id)
    ):
        super_attributes[product_id].append(attribute_id)
    child_ids = sorted({row[2] for row in links})
    wanted = {a for ids in super_attributes.values() for a in ids}
    child_values = _read_child_values(conn, source, child_ids, wanted)
    return _VariantRows(links=links, super_attributes=super_attributes, child_values=child_values)


def _read_child_values(
    conn: Connection, source: MagentoSource, child_ids: list[int], attribute_ids: set[int]
) -> dict[int, dict[int, Any]]:
    """Store-0 values of the super attributes for the children, one query per value table (and batch of ids)."""
    edition = source.edition
    values: dict[int, dict[int, Any]] = defaultdict(dict)
    by_backend: dict[str, list[int]] = defaultdict(list)
    for attribute_id in attribute_ids:
        attribute = source.product_attributes.by_id.get(attribute_id)
        if attribute is not None and attribute.backend_type in edition.product_values:
            by_backend[attribute.backend_type].append(attribute_id)
    for backend_type, ids in by_backend.items():
        table = edition.product_values[backend_type]
        child_id, values_from, live = edition.keyed(table, edition.products)
        for batch in chunked(child_ids, _IN_BATCH):
            query = (
                select(child_id, table.c.attribute_id, table.c.value)
                .select_from(values_from)
                .where(child_id.in_(batch), table.c.attribute_id.in_(ids), table.c.store_id == 0, live)
            )
            for entity_id, attribute_id, value in conn.execute(query):
                values[entity_id][attribute_id] = value
    return values


def _assemble_variants(source: MagentoSource, rows: _VariantRows) -> BuildResult:
    modified_at, result = now_text(), BuildResult()
    for parent_id, parent_sku, child_id, child_sku in rows.links:
        identity = {"parentSku": parent_sku, "productSku": child_sku}
        if child_sku is None:
            error = f"configurable {parent_sku} links to product {child_id}, which does not exist"
            result.failures.append(ItemFailure(int(parent_id), error, identity))
            continue
        option_values, missing = _option_values(
            source, rows.super_attributes.get(parent_id, ()), rows.child_values.get(child_id, {})
        )
        if missing:
            error = f"variant {child_sku} of {parent_sku} has no value for {', '.join(missing)}"
            result.failures.append(ItemFailure(int(parent_id), error, identity))
            continue
        item: Item = {
            "id": variant_id(parent_sku, child_sku),
            "optionValues": sorted(option_values, key=lambda o: o["attributeCode"]),
            "parentId": str(parent_id),
            "productId": str(child_id),
            "parentSku": parent_sku,
            "productSku": child_sku,
            "modifiedAt": modified_at,
            "deleted": False,
        }
        result.items.append(item)
    return result


def _option_values(
    source: MagentoSource, attribute_ids: Iterable[int], values: Mapping[int, Any]
) -> tuple[list[dict[str, Any]], list[str]]:
    """A child's option values for its parent's super attributes, and the attributes it has no value for.

    Labels are read at store 0: the feed has no store view.
    """
    labels, by_id = source.product_option_labels, source.product_attributes.by_id
    option_values: list[dict[str, Any]] = []
    missing: list[str] = []
    for attribute_id in attribute_ids:
        attribute = by_id.get(attribute_id)
        raw = values.get(attribute_id)
        if attribute is None or raw is None:
            missing.append(attribute.code if attribute else str(attribute_id))
            continue
        option_values.append(
            {
                "attributeCode": attribute.code,
                "uid": option_uid(attribute_id, int(raw)),
                "label": labels.label(int(raw), 0),
                "valueIndex": str(int(raw)),  # the option id; Adobe declares it a String
            }
        )
    return option_values, missing


def build_variants(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every variants item of the configurables with entity ids ``lo..hi`` (inclusive)."""
    with source.connect() as conn:
        rows = _read_variants(conn, source, lo, hi)
    return _assemble_variants(source, rows)


VARIANTS = FeedSpec(
    name="variants",
    summary="Product Variants Feed",
    mode="immediate",
    table="cde_product_variants_feed",
    identity=("parentSku", "productSku"),
    minimal_payload=("id", "optionValues", "parentSku", "productSku", "productId", "modifiedAt"),
    source_key="parentId",
    source_ids=catalog_product_entity.c.entity_id,
    builder=build_variants,
    schema_file="variants.json",
    reads=(
        *SCOPE_TABLES,
        *EAV_TABLES,
        *PRODUCT_VALUE_TABLES,
        "catalog_product_entity",
        "catalog_product_super_link",
        "catalog_product_super_attribute",
    ),
)
