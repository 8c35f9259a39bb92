"""A configurable product's ``optionsV2``: its super attributes and the values its variants use.

As ``ConfigurableProductDataExporter/Model/Provider/Product/Options.php`` reads them: one option
per ``catalog_product_super_attribute`` row of a ``configurable`` product, ordered by its
``position``; the option's ``id`` is the attribute code, its label the attribute's store label
(``eav_attribute_label``) or else its ``frontend_label`` (Adobe does not read
``catalog_product_super_attribute_label``), ``swatchType`` the raw ``catalog_eav_attribute.additional_data``.
Its values are the attribute's options (by option id) that a variant not disabled at the store
view carries at store 0; each value's label and swatch take the store row over store 0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, select

from exporters.feeds.product_parts.option_records import as_int, link_column, option, uid, value
from exporters.source import MagentoSource, StoreView
from exporters.source.schema import (
    catalog_eav_attribute,
    catalog_product_super_attribute,
    catalog_product_super_link,
    eav_attribute,
    eav_attribute_label,
    eav_attribute_option,
    eav_attribute_option_swatch,
    eav_attribute_option_value,
    id_between,
)

READS = (
    "catalog_product_super_attribute",
    "catalog_product_super_link",
    "eav_attribute_label",
    "eav_attribute_option",
    "eav_attribute_option_value",
    "eav_attribute_option_swatch",
)
#: Magento\Swatches\Model\Swatch::SWATCH_TYPE_* and Helper\Media::SWATCH_MEDIA_PATH.
SWATCH_TEXT, SWATCH_COLOR, SWATCH_IMAGE = 0, 1, 2
SWATCH_MEDIA_PATH = "attribute/swatch"
STATUS_DISABLED = 2


@dataclass(slots=True)
class SuperAttribute:
    """An attribute that configurable products vary on, with its options' labels and swatches."""

    code: str
    frontend_label: str | None
    additional_data: str | None
    labels: dict[int, str | None] = field(default_factory=dict)  # store -> eav_attribute_label
    #: (option id, sort order), by option id: Adobe's query has no ORDER BY and reads them in key order.
    options: list[tuple[int, int]] = field(default_factory=list)
    option_labels: dict[int, dict[int, str | None]] = field(default_factory=dict)  # option -> store -> label
    swatches: dict[int, dict[int, tuple[int, str | None]]] = field(default_factory=dict)  # option -> store -> swatch

    def label(self, store_id: int) -> str | None:
        label = self.labels.get(store_id)
        return label if label is not None else self.frontend_label

    def json(self) -> list[Any]:
        return [
            self.code,
            self.frontend_label,
            self.additional_data,
            sorted(self.labels.items()),
            self.options,
            sorted((k, sorted(v.items())) for k, v in self.option_labels.items()),
            sorted((k, sorted(v.items())) for k, v in self.swatches.items()),
        ]


def super_attributes(source: MagentoSource) -> dict[int, SuperAttribute]:
    """Every attribute used by a super attribute row, read once per source."""
    memo: dict[int, SuperAttribute] | None = source.memo.get("options.super_attributes")
    if memo is not None:
        return memo
    sa, a, ca = catalog_product_super_attribute, eav_attribute, catalog_eav_attribute
    o, ov, sw, al = eav_attribute_option, eav_attribute_option_value, eav_attribute_option_swatch, eav_attribute_label
    used = select(sa.c.attribute_id).distinct().scalar_subquery()
    attributes: dict[int, SuperAttribute] = {}
    with source.connect() as conn:
        for attribute_id, code, label, data in conn.execute(
            select(a.c.attribute_id, a.c.attribute_code, a.c.frontend_label, ca.c.additional_data)
            .join(ca, ca.c.attribute_id == a.c.attribute_id)
            .where(a.c.attribute_id.in_(used))
        ):
            attributes[attribute_id] = SuperAttribute(code, label, data)
        for attribute_id, store_id, label in conn.execute(
            select(al.c.attribute_id, al.c.store_id, al.c.value).where(al.c.attribute_id.in_(used))
        ):
            if attribute_id in attributes:
                attributes[attribute_id].labels[store_id] = label
        for attribute_id, option_id, sort_order in conn.execute(
            select(o.c.attribute_id, o.c.option_id, o.c.sort_order)
            .where(o.c.attribute_id.in_(used))
            .order_by(o.c.option_id)
        ):
            if attribute_id in attributes:
                attributes[attribute_id].options.append((option_id, int(sort_order)))
        for attribute_id, option_id, store_id, label in conn.execute(
            select(o.c.attribute_id, o.c.option_id, ov.c.store_id, ov.c.value)
            .join(ov, ov.c.option_id == o.c.option_id)
            .where(o.c.attribute_id.in_(used))
            .order_by(ov.c.value_id)  # no unique key: the last row wins, as in Magento's join
        ):
            if attribute_id in attributes:
                attributes[attribute_id].option_labels.setdefault(option_id, {})[store_id] = label
        for attribute_id, option_id, store_id, type_, swatch in conn.execute(
            select(o.c.attribute_id, o.c.option_id, sw.c.store_id, sw.c.type, sw.c.value)
            .join(sw, sw.c.option_id == o.c.option_id)
            .where(o.c.attribute_id.in_(used))
        ):
            if attribute_id in attributes:
                attributes[attribute_id].swatches.setdefault(option_id, {})[store_id] = (int(type_), swatch)
    source.memo["options.super_attributes"] = attributes
    return attributes


@dataclass(slots=True)
class ConfigurableRows:
    attributes: dict[int, SuperAttribute]
    media_urls: dict[int, str]
    #: product -> [(attribute id, position)]
    super_attributes: dict[int, list[tuple[int, int]]]
    #: product -> [(child id, attribute id, store id, value)]: the children's super attribute and status rows
    children: dict[int, list[tuple[int, int, int, Any]]]
    status_id: int | None
    _values: dict[tuple[int, int, int], dict[str, Any]] = field(default_factory=dict)

    def fingerprint(self, product_id: int) -> list[Any]:
        return [sorted(self.super_attributes.get(product_id, ())), sorted(self.children.get(product_id, ()))]

    def options(self, product_id: int, view: StoreView) -> list[dict[str, Any]]:
        rows = self.super_attributes.get(product_id)
        if not rows:
            return []
        used = self._used_values(product_id, view.store_id)
        options = []
        for attribute_id, position in sorted(rows, key=lambda r: (r[1], r[0])):
            attribute = self.attributes.get(attribute_id)
            if attribute is None:
                continue
            fields: dict[str, Any] = {
                "id": attribute.code,
                "label": attribute.label(view.store_id),
                "sortOrder": position,
                "type": "configurable",
                "swatchType": attribute.additional_data,
            }
            if attribute.options:
                wanted = used.get(attribute_id, set())
                fields["values"] = [
                    self._value(attribute_id, attribute, option_id, sort_order, view.store_id)
                    for option_id, sort_order in attribute.options
                    if option_id in wanted
                ]
            options.append(option(**fields))
        return options

    def _used_values(self, product_id: int, store_id: int) -> dict[int, set[int]]:
        """attribute -> the option ids of the variants not disabled at ``store_id`` (store 0 values)."""
        values: dict[int, dict[int, int]] = defaultdict(dict)  # child -> attribute -> option id
        status: dict[int, dict[int, Any]] = defaultdict(dict)  # child -> store -> status
        for child_id, attribute_id, row_store, raw in self.children.get(product_id, ()):
            if attribute_id == self.status_id:
                status[child_id][row_store] = raw
            elif row_store == 0 and raw is not None and as_int(raw):
                values[child_id][attribute_id] = int(raw)
        used: dict[int, set[int]] = defaultdict(set)
        for child_id, by_attribute in values.items():
            by_store = status.get(child_id, {})
            child_status = by_store[store_id] if store_id in by_store else by_store.get(0)
            if self.status_id is not None and (child_status is None or int(child_status) == STATUS_DISABLED):
                continue
            for attribute_id, option_id in by_attribute.items():
                used[attribute_id].add(option_id)
        return used

    def _value(
        self, attribute_id: int, attribute: SuperAttribute, option_id: int, sort_order: int, store_id: int
    ) -> dict[str, Any]:
        key = (attribute_id, option_id, store_id)
        cached = self._values.get(key)
        if cached is not None:
            return cached
        labels = attribute.option_labels.get(option_id, {})
        label = labels.get(store_id)
        if label is None:
            label = labels.get(0)
        swatches = attribute.swatches.get(option_id, {})
        swatch_type, swatch = swatches.get(store_id, (None, None))
        if swatch is None:
            swatch_type, swatch = swatches.get(0, (None, None))
        made = self._values[key] = value(
            id=uid("configurable", attribute_id, option_id),
            label=label,
            sortOrder=sort_order,
            colorHex=swatch if swatch_type == SWATCH_COLOR else None,
            imageUrl=f"{self.media_urls[store_id]}{SWATCH_MEDIA_PATH}{swatch}" if swatch_type == SWATCH_IMAGE else None,
            # Adobe compares loosely: no swatch (NULL) counts as the text type.
            customSwatchValue=swatch if swatch_type not in (None, SWATCH_TEXT, SWATCH_COLOR, SWATCH_IMAGE) else None,
        )
        return made


def read_configurable(conn: Connection, source: MagentoSource, lo: int, hi: int) -> ConfigurableRows:
    edition = source.edition
    attributes = super_attributes(source)
    status = source.product_attributes.get("status")
    status_id = None if status is None else status.attribute_id
    sa, link = catalog_product_super_attribute, catalog_product_super_link
    parent = edition.products.alias("parent")
    is_configurable = and_(id_between(parent.c.entity_id, lo, hi), parent.c.type_id == "configurable")
    rows: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for product_id, attribute_id, position in conn.execute(
        select(parent.c.entity_id, sa.c.attribute_id, sa.c.position)
        .join_from(sa, parent, edition.live_link(parent, sa.c.product_id))
        .where(is_configurable)
    ):
        rows[product_id].append((int(attribute_id), int(position)))
    children: dict[int, list[tuple[int, int, int, Any]]] = defaultdict(list)
    wanted = {a for per_product in rows.values() for a, _ in per_product}
    if status_id is not None:
        wanted.add(status_id)
    # One query whatever the range holds: a chunk costs the same number of queries.
    child = edition.products.alias("child")
    values = edition.product_values["int"]
    for product_id, child_id, attribute_id, store_id, raw in conn.execute(
        select(parent.c.entity_id, child.c.entity_id, values.c.attribute_id, values.c.store_id, values.c.value)
        .join_from(link, parent, edition.live_link(parent, link.c.parent_id))
        .join(child, and_(child.c.entity_id == link.c.product_id, edition.live(child)))
        .join(values, link_column(edition, values) == edition.link(child))
        .where(
            is_configurable,
            values.c.attribute_id.in_(sorted(wanted)),
            values.c.store_id.in_([0, *source.scopes.store_ids]),
        )
    ):
        children[product_id].append((int(child_id), int(attribute_id), int(store_id), raw))
    media_urls = {sid: source.media_base_url(sid) for sid in source.scopes.store_ids}
    return ConfigurableRows(attributes, media_urls, rows, children, status_id)


def configurable_context(source: MagentoSource) -> list[Any]:
    return sorted((attribute_id, a.json()) for attribute_id, a in super_attributes(source).items())
