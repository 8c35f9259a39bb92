"""Custom options: the selectable ones in ``optionsV2``, the entered ones in ``shopperInputOptions``.

As ``CatalogDataExporter``'s ``ProductOptions/SelectableOptions.php`` and
``CustomizableOptions/ProductShopperInputOptions.php`` read ``catalog_product_option*``:
- an option (and a value) exists only with a store 0 title; options come by ``sort_order`` then
  option id, values by value id;
- at a store view, an option's (a value's) own fields are taken from its store row only when it
  has a title row at that store view: then its title and price there win where not NULL, else
  the store 0 ones stand; a value titled only at the store view is added after the others;
- selectable options (``drop_down``, ``radio``, ``checkbox``, ``multiple``) carry the bare option
  id and value uids ``custom-option/<option id>/<value id>``; entered options (``field``, ``area``,
  ``file``, ``date``, ``time``, ``date_time``) the uid ``custom-option/<option id>`` and a
  ``range`` whose ``to`` is ``max_characters`` (Adobe sets no ``from``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, select

from exporters.feeds.product_parts.option_records import as_float, as_int, as_text, option, uid, value
from exporters.source import MagentoSource, StoreView
from exporters.source.schema import (
    catalog_product_option,
    catalog_product_option_price,
    catalog_product_option_title,
    catalog_product_option_type_price,
    catalog_product_option_type_title,
    catalog_product_option_type_value,
    id_between,
)

READS = (
    "catalog_product_option",
    "catalog_product_option_price",
    "catalog_product_option_title",
    "catalog_product_option_type_value",
    "catalog_product_option_type_price",
    "catalog_product_option_type_title",
)
SELECTABLE = frozenset({"drop_down", "radio", "checkbox", "multiple"})
ENTERED = frozenset({"field", "area", "file", "date", "time", "date_time"})
#: ``ProductShopperInputOption``'s fields in et_schema.xml order.
SHOPPER_FIELDS = (
    "id",
    "label",
    "sortOrder",
    "required",
    "renderType",
    "price",
    "fileExtension",
    "sku",
    "range",
    "imageSizeX",
    "imageSizeY",
)


@dataclass(slots=True)
class _Scoped:
    """A title and a price per store (0 = default) of an option or a value."""

    titles: dict[int, str | None] = field(default_factory=dict)
    prices: dict[int, Any] = field(default_factory=dict)

    def exists(self, store_id: int) -> bool:
        return store_id in self.titles

    def at(self, store_id: int) -> tuple[str | None, Any]:
        """Title and price at the store view: its own non-NULL ones when it has a title row there."""
        title, price = self.titles.get(0), self.prices.get(0)
        if store_id in self.titles:
            own_title, own_price = self.titles[store_id], self.prices.get(store_id)
            title = own_title if own_title is not None else title
            price = own_price if own_price is not None else price
        return title, price

    def json(self) -> list[Any]:
        return [sorted(self.titles.items()), sorted(self.prices.items())]


@dataclass(slots=True)
class _Value:
    option_type_id: int
    sku: str | None
    sort_order: int
    scoped: _Scoped = field(default_factory=_Scoped)


@dataclass(slots=True)
class _Option:
    row: Any  # the catalog_product_option row
    scoped: _Scoped = field(default_factory=_Scoped)
    values: list[_Value] = field(default_factory=list)

    def json(self) -> list[Any]:
        return [
            list(self.row),
            self.scoped.json(),
            [(v.option_type_id, v.sku, v.sort_order, v.scoped.json()) for v in self.values],
        ]


@dataclass(slots=True)
class CustomRows:
    options: dict[int, list[_Option]]  # product -> options by sort order, option id

    def fingerprint(self, product_id: int) -> list[Any]:
        return [o.json() for o in self.options.get(product_id, ())]

    def selectable(self, product_id: int, view: StoreView) -> list[dict[str, Any]]:
        sid = view.store_id
        made = []
        for opt in self.options.get(product_id, ()):
            row = opt.row
            if row.type not in SELECTABLE or not opt.scoped.exists(0):
                continue
            title, _ = opt.scoped.at(sid)
            values = [v for v in opt.values if v.scoped.exists(0)]
            values += [v for v in opt.values if not v.scoped.exists(0) and v.scoped.exists(sid)]
            made.append(
                option(
                    id=str(row.option_id),
                    label=title,
                    sortOrder=int(row.sort_order),
                    required=bool(row.is_require),
                    renderType=row.type,
                    type="custom_option",
                    values=[self._value(row.option_id, v, sid) for v in values],
                )
            )
        return made

    @staticmethod
    def _value(option_id: int, v: _Value, store_id: int) -> dict[str, Any]:
        title, price = v.scoped.at(store_id)
        return value(
            id=uid("custom-option", option_id, v.option_type_id),
            label=title,
            sortOrder=v.sort_order,
            isDefault=False,  # Adobe reads no default flag for custom option values
            sku=v.sku,
            price=as_float(price),
        )

    def entered(self, product_id: int, view: StoreView) -> list[dict[str, Any]]:
        made = []
        for opt in self.options.get(product_id, ()):
            row = opt.row
            if row.type not in ENTERED or not opt.scoped.exists(0):
                continue
            title, price = opt.scoped.at(view.store_id)
            fields = {
                "id": uid("custom-option", row.option_id),
                "label": as_text(title),
                "sortOrder": int(row.sort_order),
                "required": bool(row.is_require),
                "renderType": row.type,
                "price": as_float(price),
                "fileExtension": row.file_extension,
                "sku": row.sku,
                "range": {"from": None, "to": as_float(row.max_characters)},
                "imageSizeX": as_int(row.image_size_x),
                "imageSizeY": as_int(row.image_size_y),
            }
            made.append({name: fields[name] for name in SHOPPER_FIELDS if fields[name] is not None})
        return made


def read_custom(conn: Connection, source: MagentoSource, lo: int, hi: int) -> CustomRows:
    edition = source.edition
    o, tv = catalog_product_option, catalog_product_option_type_value
    parent = edition.products.alias("parent")
    in_range = id_between(parent.c.entity_id, lo, hi)
    stores = [0, *source.scopes.store_ids]
    options_from = o.join(parent, edition.live_link(parent, o.c.product_id))
    by_id: dict[int, _Option] = {}
    options: dict[int, list[_Option]] = defaultdict(list)
    for row in conn.execute(
        select(parent.c.entity_id.label("entity_id"), *(o.c[name] for name in _OptionRow._fields))
        .select_from(options_from)
        .where(in_range)
        .order_by(o.c.sort_order, o.c.option_id)
    ):
        opt = by_id[row.option_id] = _Option(_row(row))
        options[row.entity_id].append(opt)
    t, p = catalog_product_option_title, catalog_product_option_price
    for option_id, store_id, title in _scoped_query(conn, t, "option_id", "title", options_from, in_range, stores):
        by_id[option_id].scoped.titles[store_id] = title
    for option_id, store_id, price in _scoped_query(conn, p, "option_id", "price", options_from, in_range, stores):
        by_id[option_id].scoped.prices[store_id] = price
    values_from = options_from.join(tv, tv.c.option_id == o.c.option_id)
    values: dict[int, _Value] = {}
    for option_type_id, option_id, sku, sort_order in conn.execute(
        select(tv.c.option_type_id, tv.c.option_id, tv.c.sku, tv.c.sort_order)
        .select_from(values_from)
        .where(in_range)
        .order_by(tv.c.option_type_id)
    ):
        v = values[option_type_id] = _Value(option_type_id, sku, int(sort_order))
        by_id[option_id].values.append(v)
    tt, tp = catalog_product_option_type_title, catalog_product_option_type_price
    key = "option_type_id"
    for option_type_id, store_id, title in _scoped_query(conn, tt, key, "title", values_from, in_range, stores):
        values[option_type_id].scoped.titles[store_id] = title
    for option_type_id, store_id, price in _scoped_query(conn, tp, key, "price", values_from, in_range, stores):
        values[option_type_id].scoped.prices[store_id] = price
    return CustomRows(options)


def _scoped_query(
    conn: Connection, table: Table, key: str, column: str, joined: Any, in_range: Any, stores: list[int]
) -> list[tuple[int, int, Any]]:
    """``(key, store id, column)`` of a per-store table, for the options (values) of the range."""
    owner = catalog_product_option if key == "option_id" else catalog_product_option_type_value
    return [
        (int(k), int(store_id), raw)
        for k, store_id, raw in conn.execute(
            select(table.c[key], table.c.store_id, table.c[column])
            .select_from(joined.join(table, table.c[key] == owner.c[key]))
            .where(in_range, table.c.store_id.in_(stores))
        )
    ]


class _OptionRow(NamedTuple):
    """The ``catalog_product_option`` columns an option's fields come from."""

    option_id: int
    type: str | None
    is_require: int
    sku: str | None
    max_characters: int | None
    file_extension: str | None
    image_size_x: int | None
    image_size_y: int | None
    sort_order: int


def _row(row: Any) -> _OptionRow:
    return _OptionRow(
        option_id=int(row.option_id),
        type=row.type,
        is_require=int(row.is_require),
        sku=row.sku,
        max_characters=as_int(row.max_characters),
        file_extension=row.file_extension,
        image_size_x=as_int(row.image_size_x),
        image_size_y=as_int(row.image_size_y),
        sort_order=int(row.sort_order),
    )
