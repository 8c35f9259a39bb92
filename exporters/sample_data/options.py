"""Product options for sample catalogs: custom options and bundle options (swatches: ``swatches``).

- Every ``CUSTOM_OPTIONS_EVERY``-th simple product gets custom options: a drop-down with three
  priced values (fixed and percent, one titled and priced at the first store view, one with a
  store view title only), a field with a character limit, a file with extensions and image
  sizes, and one of the other types in turn (radio, checkbox, multiple, area, date, date_time,
  time).
- A bundle gets two to three options (select, radio, checkbox, multi in turn), each with one to
  three selections among the simple products written before it; fixed bundles price their
  selections (fixed or percent) and some carry a price for the first website.

Draws come from ``Context.rng_for``, so the shared random sequence, and every other row, is
the same with or without these rows.
"""

from __future__ import annotations

from decimal import Decimal
from random import Random

from sqlalchemy import Table

from exporters.sample_data.base import StoreViewIds
from exporters.sample_data.context import Context
from exporters.sample_data.model import Product, SimplePool
from exporters.sample_data.writer import BatchWriter
from exporters.source import schema as s

CUSTOM_OPTIONS_EVERY = 20
EXTRA_TYPES = ("radio", "checkbox", "multiple", "area", "date", "date_time", "time")
SELECTABLE = ("drop_down", "radio", "checkbox", "multiple")
BUNDLE_TYPES = ("select", "radio", "checkbox", "multi")


def has_custom_options(number: int) -> bool:
    return number % CUSTOM_OPTIONS_EVERY == 7


def write_custom_options(ctx: Context, p: Product, number: int) -> None:
    """A drop-down, a field, a file and one more type, on the product's live version."""
    rng = ctx.rng_for("custom-options", p.entity_id)
    first_view = ctx.views_of(p.websites)[:1]
    extra = EXTRA_TYPES[(number // CUSTOM_OPTIONS_EVERY) % len(EXTRA_TYPES)]
    specs: list[tuple[str, str]] = [("drop_down", "Colour"), ("field", "Engraving"), ("file", "Logo"), (extra, "Extra")]
    for sort_order, (type_, title) in enumerate(specs, start=1):
        w = ctx.writer
        option_id = w.next_id(s.catalog_product_option)
        w.add(
            s.catalog_product_option,
            {
                "option_id": option_id,
                "product_id": p.entity_id,
                "type": type_,
                "is_require": int(type_ == "drop_down"),
                "sku": None if type_ in SELECTABLE else f"{type_}-{option_id}",
                "max_characters": rng.choice((20, 50, 255)) if type_ in ("field", "area") else None,
                "file_extension": "png, jpg" if type_ == "file" else None,
                "image_size_x": 300 if type_ == "file" else None,
                "image_size_y": 200 if type_ == "file" else None,
                "sort_order": sort_order,
            },
        )
        titles = {0: title}
        if type_ == "drop_down" and first_view:
            titles[first_view[0].store_id] = f"{title} ({first_view[0].code})"
        for store_id, text in titles.items():
            w.add(
                s.catalog_product_option_title,
                {
                    "option_title_id": w.next_id(s.catalog_product_option_title),
                    "option_id": option_id,
                    "store_id": store_id,
                    "title": text,
                },
            )
        if type_ in SELECTABLE:
            _values(ctx, rng, option_id, first_view)
        else:
            _price(
                w, s.catalog_product_option_price, "option_price_id", "option_id", option_id, 0, _money(rng), "fixed"
            )


def _values(ctx: Context, rng: Random, option_id: int, first_view: tuple[StoreViewIds, ...]) -> None:
    w = ctx.writer
    for index, label in enumerate(("Small", "Medium", "Large")):
        type_id = w.next_id(s.catalog_product_option_type_value)
        w.add(
            s.catalog_product_option_type_value,
            {"option_type_id": type_id, "option_id": option_id, "sku": f"opt-{type_id}", "sort_order": index},
        )
        titles: dict[int, str] = {} if index == 2 and first_view else {0: label}
        if first_view and index > 0:
            titles[first_view[0].store_id] = f"{label} ({first_view[0].code})"
        for store_id, text in titles.items():
            w.add(
                s.catalog_product_option_type_title,
                {
                    "option_type_title_id": w.next_id(s.catalog_product_option_type_title),
                    "option_type_id": type_id,
                    "store_id": store_id,
                    "title": text,
                },
            )
        price_type = "percent" if index == 1 else "fixed"
        key, table = "option_type_price_id", s.catalog_product_option_type_price
        _price(w, table, key, "option_type_id", type_id, 0, _money(rng), price_type)
        if index == 1 and first_view:
            _price(w, table, key, "option_type_id", type_id, first_view[0].store_id, _money(rng), price_type)


def _price(
    w: BatchWriter, table: Table, key: str, owner: str, owner_id: int, store_id: int, price: Decimal, price_type: str
) -> None:
    w.add(
        table, {key: w.next_id(table), owner: owner_id, "store_id": store_id, "price": price, "price_type": price_type}
    )


def _money(rng: Random) -> Decimal:
    return Decimal(rng.randrange(100, 5_000)).scaleb(-2)


def write_bundle_options(ctx: Context, p: Product, pool: SimplePool) -> None:
    """Two or three options of earlier simple products (none when there are too few yet)."""
    if p.type_id != "bundle" or len(pool) < 3:
        return
    rng, w = ctx.rng_for("bundle-options", p.entity_id), ctx.writer
    first_view = ctx.views_of(p.websites)[:1]
    for position in range(1, rng.randint(2, 3) + 1):
        option_id = w.next_id(s.catalog_product_bundle_option)
        w.add(
            s.catalog_product_bundle_option,
            {
                "option_id": option_id,
                "parent_id": p.entity_id,
                "required": int(position == 1),
                "position": position,
                "type": BUNDLE_TYPES[(p.entity_id + position) % len(BUNDLE_TYPES)],
            },
        )
        titles = {0: f"Option {position}"}
        if position == 1 and first_view:
            titles[first_view[0].store_id] = f"Option {position} ({first_view[0].code})"
        for store_id, title in titles.items():
            w.add(
                s.catalog_product_bundle_option_value,
                {
                    "value_id": w.next_id(s.catalog_product_bundle_option_value),
                    "option_id": option_id,
                    "parent_product_id": p.entity_id,
                    "store_id": store_id,
                    "title": title,
                },
            )
        for index, picked in enumerate(rng.sample(range(len(pool)), rng.randint(1, 3))):
            selection_id = w.next_id(s.catalog_product_bundle_selection)
            percent = p.bundle_fixed and rng.random() < 0.3
            price = _money(rng) if p.bundle_fixed else Decimal(0)
            w.add(
                s.catalog_product_bundle_selection,
                {
                    "selection_id": selection_id,
                    "option_id": option_id,
                    "parent_product_id": p.entity_id,
                    "product_id": pool.ids[picked],
                    "position": index + 1,
                    "is_default": int(index == 0),
                    "selection_price_type": int(percent),
                    "selection_price_value": price,
                    "selection_qty": Decimal(rng.randint(1, 3)),
                    "selection_can_change_qty": rng.randint(0, 1),
                },
            )
            if p.bundle_fixed and p.websites and index == 0:
                w.add(
                    s.catalog_product_bundle_selection_price,
                    {
                        "selection_id": selection_id,
                        "parent_product_id": p.entity_id,
                        "website_id": p.websites[0],
                        "selection_price_type": int(percent),
                        "selection_price_value": price + 1,
                    },
                )
