"""EAV metadata and value resolution, exactly as Magento reads it.

Magento's ReadHandler selects ``store_id IN (store, 0)`` and lets the store row win, *even when
its value is NULL*; a global attribute is read from store 0 only. Values are read in bulk, one
query per value table per chunk, and resolved here in Python (docs/magento-schema.md §EAV).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from exporters.source.edition import Edition, EntityKind
from exporters.source.schema import (
    catalog_eav_attribute,
    eav_attribute,
    eav_attribute_option,
    eav_attribute_option_value,
    eav_entity_type,
    id_between,
)

SCOPE_STORE = 0
SCOPE_GLOBAL = 1
SCOPE_WEBSITE = 2

#: Value tables that exist, in the order they are read.
BACKEND_TYPES = ("datetime", "decimal", "int", "text", "varchar")

#: Per entity: attribute id -> store id -> raw value (None is a real, overriding NULL).
EntityValues = dict[int, dict[int, Any]]


@dataclass(frozen=True, slots=True)
class Attribute:
    attribute_id: int
    code: str
    backend_type: str
    frontend_input: str | None
    is_global: int
    is_user_defined: bool
    source_model: str | None
    default_value: str | None
    #: Read from store 0 only (``is_global = 1``); a stray store-level row is ignored.
    is_global_scope: bool = field(init=False)
    #: Stored values are option ids whose labels live in eav_attribute_option_value.
    has_options: bool = field(init=False)

    def __post_init__(self) -> None:
        # Derived once: resolve() asks on every value of every item.
        object.__setattr__(self, "is_global_scope", self.is_global == SCOPE_GLOBAL)
        object.__setattr__(
            self,
            "has_options",
            self.frontend_input in ("select", "multiselect") and self.backend_type in ("int", "text", "varchar"),
        )


class AttributeSet:
    """The attributes of one entity type, by code and by id."""

    def __init__(self, attributes: Iterable[Attribute]) -> None:
        self.by_code: dict[str, Attribute] = {a.code: a for a in attributes}
        self.by_id: dict[int, Attribute] = {a.attribute_id: a for a in self.by_code.values()}

    def get(self, code: str) -> Attribute | None:
        return self.by_code.get(code)

    def ids_by_backend(self, codes: Iterable[str] | None = None) -> dict[str, list[int]]:
        """Attribute ids grouped by value table; static attributes live on the entity row."""
        chosen = self.by_code.values() if codes is None else [self.by_code[c] for c in codes if c in self.by_code]
        grouped: dict[str, list[int]] = defaultdict(list)
        for attribute in chosen:
            if attribute.backend_type in BACKEND_TYPES:
                grouped[attribute.backend_type].append(attribute.attribute_id)
        return {k: sorted(v) for k, v in grouped.items()}


def load_attributes(conn: Connection, entity_type_code: str) -> AttributeSet:
    """The catalog attributes of an entity type (``catalog_product`` or ``catalog_category``)."""
    a, c, t = eav_attribute, catalog_eav_attribute, eav_entity_type
    query = (
        select(
            a.c.attribute_id,
            a.c.attribute_code,
            a.c.backend_type,
            a.c.frontend_input,
            a.c.is_user_defined,
            a.c.source_model,
            a.c.default_value,
            c.c.is_global,
        )
        .join(t, t.c.entity_type_id == a.c.entity_type_id)
        .outerjoin(c, c.c.attribute_id == a.c.attribute_id)
        .where(t.c.entity_type_code == entity_type_code)
    )
    return AttributeSet(
        Attribute(
            attribute_id=int(row.attribute_id),
            code=row.attribute_code,
            backend_type=row.backend_type,
            frontend_input=row.frontend_input,
            is_global=SCOPE_GLOBAL if row.is_global is None else int(row.is_global),
            is_user_defined=bool(row.is_user_defined),
            source_model=row.source_model,
            default_value=row.default_value,
        )
        for row in conn.execute(query)
    )


def load_values(
    conn: Connection,
    edition: Edition,
    kind: EntityKind,
    attribute_ids: Mapping[str, list[int]],
    store_ids: Iterable[int],
    lo: int,
    hi: int,
) -> dict[int, EntityValues]:
    """All values of the given attributes for entities ``lo..hi`` at store 0 and ``store_ids``.

    One query per value table, whatever the number of entities; on Commerce each reads the
    live version's rows and answers by ``entity_id``.
    """
    stores = sorted({0, *store_ids})
    entity, tables = edition.entity_of(kind)
    values: dict[int, EntityValues] = defaultdict(dict)
    for backend_type, ids in attribute_ids.items():
        if not ids:
            continue
        table = tables[backend_type]
        entity_id, source, live = edition.keyed(table, entity)
        query = (
            select(entity_id, table.c.attribute_id, table.c.store_id, table.c.value)
            .select_from(source)
            .where(id_between(entity_id, lo, hi), table.c.attribute_id.in_(ids), table.c.store_id.in_(stores), live)
        )
        for entity_id, attribute_id, store_id, value in conn.execute(query).all():
            per_attribute = values[entity_id]
            by_store = per_attribute.get(attribute_id)
            if by_store is None:
                per_attribute[attribute_id] = {store_id: value}
            else:
                by_store[store_id] = value
    return values


def resolve(values: EntityValues, attribute: Attribute, store_id: int) -> Any:
    """The value Magento shows at ``store_id``: the store row if there is one, else store 0."""
    by_store = values.get(attribute.attribute_id)
    if not by_store:
        return None
    if attribute.is_global_scope:
        return by_store.get(0)
    if store_id in by_store:
        return by_store[store_id]
    return by_store.get(0)


class OptionLabels:
    """Option labels per store with fallback to the admin (store 0) label."""

    def __init__(self, labels: dict[int, dict[int, str | None]]) -> None:
        self._labels = labels
        self._by_store: dict[int, dict[str, str]] = {}

    def label(self, option_id: int, store_id: int) -> str | None:
        by_store = self._labels.get(option_id)
        if by_store is None:
            return None
        label = by_store.get(store_id)
        return label if label is not None else by_store.get(0)

    def for_store(self, store_id: int) -> dict[str, str]:
        """Every option's label at ``store_id``, keyed by the option id as stored in value rows.

        Built once per store: item assembly looks up one label per option value of every item.
        """
        table = self._by_store.get(store_id)
        if table is None:
            table = self._by_store[store_id] = {
                str(option_id): self.label(option_id, store_id) or "" for option_id in self._labels
            }
        return table


def load_option_labels(conn: Connection, attribute_ids: Iterable[int]) -> OptionLabels:
    ids = sorted(set(attribute_ids))
    labels: dict[int, dict[int, str | None]] = {}
    if not ids:
        return OptionLabels(labels)
    o, v = eav_attribute_option, eav_attribute_option_value
    query = (
        select(o.c.option_id, v.c.store_id, v.c.value)
        .join(v, v.c.option_id == o.c.option_id)
        .where(o.c.attribute_id.in_(ids))
        .order_by(v.c.value_id)  # no unique key: the last row written wins, as in Magento's join
    )
    for option_id, store_id, value in conn.execute(query):
        labels.setdefault(option_id, {})[store_id] = value
    return OptionLabels(labels)
