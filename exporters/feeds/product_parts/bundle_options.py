"""A bundle product's ``optionsV2``: its bundle options and their selections.

As ``BundleProductDataExporter/Model/Provider/Product/BundleProductOptions.php`` reads them: every
``catalog_product_bundle_option`` row of the product (by option id: Adobe's query has no ORDER BY),
titled by its store row in ``catalog_product_bundle_option_value`` or else the store 0 row; each
selection (by selection id) of a live child is a value labelled with the child's ``name`` at the
store view (else store 0), priced by the website's ``catalog_product_bundle_selection_price`` row or
else the selection's own price, with the uid ``bundle/<option id>/<selection id>/<whole qty>``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, select

from exporters.feeds.product_parts.option_records import as_float, link_column, option, uid, value
from exporters.source import MagentoSource, StoreView
from exporters.source.schema import (
    catalog_product_bundle_option,
    catalog_product_bundle_option_value,
    catalog_product_bundle_selection,
    catalog_product_bundle_selection_price,
    id_between,
)

READS = (
    "catalog_product_bundle_option",
    "catalog_product_bundle_option_value",
    "catalog_product_bundle_selection",
    "catalog_product_bundle_selection_price",
)


@dataclass(frozen=True, slots=True)
class _Selection:
    selection_id: int
    option_id: int
    child_id: int
    sku: str | None
    position: int
    is_default: bool
    price: Any
    qty: Any
    can_change_qty: bool
    #: 0 fixed, 1 percent (``selection_price_type``; a website's price row has its own).
    price_type: int
    website_prices: tuple[tuple[int, Any, int], ...]


@dataclass(slots=True)
class BundleRows:
    #: product -> [(option id, required, position, type, {store: title})], by option id
    options: dict[int, list[tuple[int, int, int, str | None, dict[int, str | None]]]]
    selections: dict[int, list[_Selection]]  # product -> selections, by selection id
    names: dict[int, dict[int, str | None]]  # child -> store -> name

    def fingerprint(self, product_id: int) -> list[Any]:
        selections = self.selections.get(product_id, ())
        return [
            [(*o[:4], sorted(o[4].items())) for o in self.options.get(product_id, ())],
            [
                (
                    s.selection_id,
                    s.option_id,
                    s.child_id,
                    s.sku,
                    s.position,
                    s.is_default,
                    s.price,
                    s.qty,
                    s.can_change_qty,
                    s.price_type,
                    s.website_prices,
                    sorted(self.names.get(s.child_id, {}).items()),
                )
                for s in selections
            ],
        ]

    def options_of(self, product_id: int, view: StoreView) -> list[dict[str, Any]]:
        options = self.options.get(product_id)
        if not options:
            return []
        by_option: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for selection in self.selections.get(product_id, ()):
            by_option[selection.option_id].append(self._value(selection, view))
        made = []
        for option_id, required, position, type_, titles in options:
            title = titles.get(view.store_id)
            made.append(
                option(
                    id=str(option_id),
                    label=title if title is not None else titles.get(0),
                    sortOrder=position,
                    required=bool(required),
                    renderType=type_,
                    type="bundle",
                    values=by_option.get(option_id),
                )
            )
        return made

    def _value(self, selection: _Selection, view: StoreView) -> dict[str, Any]:
        names = self.names.get(selection.child_id, {})
        name = names.get(view.store_id)
        at_website = next((p for p in selection.website_prices if p[0] == view.website_id), None)
        price, price_type = (at_website[1], at_website[2]) if at_website else (selection.price, selection.price_type)
        qty = as_float(selection.qty)
        return value(
            id=uid("bundle", selection.option_id, selection.selection_id, int(qty or 0)),
            label=name if name is not None else names.get(0),
            sortOrder=selection.position,
            isDefault=selection.is_default,
            qtyMutability=selection.can_change_qty,
            qty=qty,
            sku=selection.sku,
            price=as_float(price if price is not None else selection.price),
            # Adobe's BundleProductOptions: ``$row['price_type'] ? 'percent' : 'fixed'``
            priceType="percent" if price_type else "fixed",
        )


def read_bundle(conn: Connection, source: MagentoSource, lo: int, hi: int) -> BundleRows:
    edition = source.edition
    o, ov = catalog_product_bundle_option, catalog_product_bundle_option_value
    sel, sp = catalog_product_bundle_selection, catalog_product_bundle_selection_price
    parent = edition.products.alias("parent")
    in_range = id_between(parent.c.entity_id, lo, hi)
    store_ids = [0, *source.scopes.store_ids]

    titles: dict[int, dict[int, str | None]] = defaultdict(dict)
    for option_id, store_id, title in conn.execute(
        select(ov.c.option_id, ov.c.store_id, ov.c.title)
        .join_from(ov, parent, edition.live_link(parent, ov.c.parent_product_id))
        .where(in_range, ov.c.store_id.in_(store_ids))
    ):
        titles[option_id][store_id] = title
    options: dict[int, list[tuple[int, int, int, str | None, dict[int, str | None]]]] = defaultdict(list)
    for product_id, option_id, required, position, type_ in conn.execute(
        select(parent.c.entity_id, o.c.option_id, o.c.required, o.c.position, o.c.type)
        .join_from(o, parent, edition.live_link(parent, o.c.parent_id))
        .where(in_range)
        .order_by(o.c.option_id)
    ):
        options[product_id].append((option_id, int(required), int(position), type_, titles.get(option_id, {})))

    website_prices: dict[int, list[tuple[int, Any, int]]] = defaultdict(list)
    for selection_id, website_id, price, price_type in conn.execute(
        select(sp.c.selection_id, sp.c.website_id, sp.c.selection_price_value, sp.c.selection_price_type)
        .join_from(sp, parent, edition.live_link(parent, sp.c.parent_product_id))
        .where(in_range)
        .order_by(sp.c.website_id)
    ):
        website_prices[selection_id].append((int(website_id), price, int(price_type or 0)))
    child = edition.products.alias("child")
    selections: dict[int, list[_Selection]] = defaultdict(list)
    for row in conn.execute(
        select(parent.c.entity_id.label("product_id"), child.c.entity_id.label("child_id"), child.c.sku, sel)
        .join_from(sel, parent, edition.live_link(parent, sel.c.parent_product_id))
        .join(child, and_(child.c.entity_id == sel.c.product_id, edition.live(child)))
        .where(in_range)
        .order_by(sel.c.selection_id)
    ):
        selections[row.product_id].append(
            _Selection(
                selection_id=row.selection_id,
                option_id=row.option_id,
                child_id=row.child_id,
                sku=row.sku,
                position=int(row.position),
                is_default=bool(row.is_default),
                price=row.selection_price_value,
                qty=row.selection_qty,
                can_change_qty=bool(row.selection_can_change_qty),
                price_type=int(row.selection_price_type or 0),
                website_prices=tuple(website_prices.get(row.selection_id, ())),
            )
        )
    names: dict[int, dict[int, str | None]] = defaultdict(dict)
    name = source.product_attributes.get("name")
    if name is not None:
        values = edition.product_values[name.backend_type]
        named = edition.products.alias("named")
        for child_id, store_id, text in conn.execute(
            select(named.c.entity_id, values.c.store_id, values.c.value)
            .distinct()
            .join_from(sel, parent, edition.live_link(parent, sel.c.parent_product_id))
            .join(named, and_(named.c.entity_id == sel.c.product_id, edition.live(named)))
            .join(values, link_column(edition, values) == edition.link(named))
            .where(in_range, values.c.attribute_id == name.attribute_id, values.c.store_id.in_(store_ids))
        ):
            names[int(child_id)][int(store_id)] = None if text is None else str(text)
    return BundleRows(options, selections, names)
