"""The products feed's ``optionsV2`` and ``shopperInputOptions`` (configurable, bundle and custom options).

Expected values follow Adobe's providers (``ConfigurableProductDataExporter``'s ``Options``,
``BundleProductDataExporter``'s ``BundleProductOptions``, ``CatalogDataExporter``'s
``SelectableOptions`` and ``ProductShopperInputOptions``); only these two fields are asserted,
other parts fill the rest of each item.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import insert, update

from exporters.feeds import PRODUCTS
from exporters.feeds.products import build_products
from exporters.source import MagentoSource
from exporters.source import schema as s
from tests.support.catalog import Catalog
from tests.support.databases import KIND_PARAMS, temporary_database
from tests.support.feeds import build_feed
from tests.support.items import items_by_key

ABSENT = {"isDefault": None, "colorHex": None, "imageUrl": None, "customSwatchValue": None}
NOT_BUNDLE = {"qtyMutability": None, "qty": None, "infoUrl": None}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def configurable_value(attribute_id: int, option_id: int, label: str, sort_order: int, **swatch: Any) -> dict[str, Any]:
    return {
        "id": b64(f"configurable/{attribute_id}/{option_id}"),
        "label": label,
        "sortOrder": sort_order,
        **ABSENT,
        **swatch,
        **NOT_BUNDLE,
        "sku": None,
        "price": None,
        "priceType": None,
    }


def bundle_value(
    uid: str,
    label: str,
    sort_order: int,
    is_default: bool,
    mutable: bool,
    qty: float,
    sku: str,
    price: float,
    price_type: str = "fixed",
) -> dict[str, Any]:
    return {
        "id": b64(uid),
        "label": label,
        "sortOrder": sort_order,
        "isDefault": is_default,
        "colorHex": None,
        "imageUrl": None,
        "customSwatchValue": None,
        "qtyMutability": mutable,
        "qty": qty,
        "infoUrl": None,
        "sku": sku,
        "price": price,
        "priceType": price_type,
    }


def custom_value(uid: str, label: str, sort_order: int, sku: str | None, price: float | None) -> dict[str, Any]:
    return {
        "id": b64(uid),
        "label": label,
        "sortOrder": sort_order,
        "isDefault": False,
        "colorHex": None,
        "imageUrl": None,
        "customSwatchValue": None,
        **NOT_BUNDLE,
        "sku": sku,
        "price": price,
        "priceType": None,
    }


# --- the Luma catalog -----------------------------------------------------------------------------
LUMA_TEXT_SWATCH = '{"swatch_input_type":"text","update_product_preview_image":1,"use_product_image_for_swatch":0}'
LUMA_VISUAL_SWATCH = '{"swatch_input_type":"visual","update_product_preview_image":1,"use_product_image_for_swatch":0}'


def test_luma_hoodie_has_its_sizes_and_colours_with_swatches(luma_items) -> None:
    # Given MH01, configurable on size (position 0, attribute 144) and color (position 1, attribute 93),
    # with variants in XS..XL and Black, Gray, Orange
    # When the feed is built
    item = luma_items[("MH01", "default")]

    # Then its options are the two super attributes with the values its variants use, text and colour swatches
    assert item["optionsV2"] == [
        {
            "id": "size",
            "label": "Size",
            "sortOrder": 0,
            "type": "configurable",
            "swatchType": LUMA_TEXT_SWATCH,
            "values": [
                configurable_value(144, 166, "XS", 1),
                configurable_value(144, 167, "S", 3),
                configurable_value(144, 168, "M", 5),
                configurable_value(144, 169, "L", 7),
                configurable_value(144, 170, "XL", 9),
            ],
        },
        {
            "id": "color",
            "label": "Color",
            "sortOrder": 1,
            "type": "configurable",
            "swatchType": LUMA_VISUAL_SWATCH,
            "values": [
                configurable_value(93, 49, "Black", 0, colorHex="#000000"),
                configurable_value(93, 52, "Gray", 3, colorHex="#8f8f8f"),
                configurable_value(93, 56, "Orange", 7, colorHex="#eb6703"),
            ],
        },
    ]
    assert item["shopperInputOptions"] is None
    # And the uid is Adobe's: base64 of "configurable/<attribute id>/<option id>"
    assert item["optionsV2"][1]["values"][0]["id"] == "Y29uZmlndXJhYmxlLzkzLzQ5"


def test_luma_bundle_has_its_four_radio_options(luma_items) -> None:
    # Given 24-WG080, Luma's one bundle: four required radio options, titled at store 0 only
    # When the feed is built
    item = luma_items[("24-WG080", "default")]

    # Then each option lists its selections, labelled with the child's name, qty 1, price 0 (a dynamic bundle)
    def selection(option_id: int, selection_id: int, label: str, position: int, default: bool, sku: str) -> Any:
        return bundle_value(f"bundle/{option_id}/{selection_id}/1", label, position, default, True, 1.0, sku, 0.0)

    def bundle_option(option_id: int, label: str, values: list[Any]) -> dict[str, Any]:
        return {
            "id": str(option_id),
            "label": label,
            "sortOrder": option_id,
            "required": True,
            "renderType": "radio",
            "type": "bundle",
            "values": values,
        }

    assert item["optionsV2"] == [
        bundle_option(
            1,
            "Sprite Stasis Ball",
            [
                selection(1, 1, "Sprite Stasis Ball 55 cm", 1, True, "24-WG081-blue"),
                selection(1, 2, "Sprite Stasis Ball 65 cm", 2, False, "24-WG082-blue"),
                selection(1, 3, "Sprite Stasis Ball 75 cm", 3, False, "24-WG083-blue"),
            ],
        ),
        bundle_option(2, "Sprite Foam Yoga Brick", [selection(2, 4, "Sprite Foam Yoga Brick", 1, True, "24-WG084")]),
        bundle_option(
            3,
            "Sprite Yoga Strap",
            [
                selection(3, 5, "Sprite Yoga Strap 6 foot", 1, True, "24-WG085"),
                selection(3, 6, "Sprite Yoga Strap 8 foot", 2, False, "24-WG086"),
                selection(3, 7, "Sprite Yoga Strap 10 foot", 3, False, "24-WG087"),
            ],
        ),
        bundle_option(4, "Sprite Foam Roller", [selection(4, 8, "Sprite Foam Roller", 1, True, "24-WG088")]),
    ]
    assert item["shopperInputOptions"] is None


def test_luma_grouped_product_lists_its_children(luma_items) -> None:
    # Given 24-WG085_Group (id 46), grouped over ids 33, 34, 35 with positions 0..2 and qty 0
    # When the feed is built
    item = luma_items[("24-WG085_Group", "default")]

    # Then its one option is Adobe's grouped option: the product id, the children's ids (not uids)
    def child(child_id: int, position: int, sku: str) -> dict[str, Any]:
        return {
            "id": str(child_id),
            "label": None,
            "sortOrder": position,
            "isDefault": None,
            "colorHex": None,
            "imageUrl": None,
            "customSwatchValue": None,
            "qtyMutability": True,
            "qty": 0.0,
            "infoUrl": None,
            "sku": sku,
            "price": None,
            "priceType": None,
        }

    assert item["optionsV2"] == [
        {
            "id": "46",
            "type": "grouped",
            "values": [child(33, 0, "24-WG085"), child(34, 1, "24-WG086"), child(35, 2, "24-WG087")],
        }
    ]


def test_luma_has_no_custom_options_and_simple_products_no_options(luma_items) -> None:
    # Given Luma, whose catalog_product_option is empty
    # When the feed is built
    # Then no item has shopper input options, and a simple product has no optionsV2
    assert all(item["shopperInputOptions"] is None for item in luma_items.values())
    assert luma_items[("24-MB01", "default")]["optionsV2"] is None
    # And every configurable, the bundle and the grouped product have options
    with_options = {key[0] for key, item in luma_items.items() if item["optionsV2"]}
    assert len(with_options) == 149
    assert all(luma_items[(sku, "default")]["type"] in ("configurable", "bundle", "grouped") for sku in with_options)


# --- a hand-built catalog ---------------------------------------------------------------------------
class OptionsCatalog:
    """A catalog with a custom-options product, a bundle and a configurable with swatches."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        catalog.add_store_view("fr", "base")
        self.fr = catalog.store_id("fr")
        self.shade, (self.red, self.blue, self.green) = catalog.add_attribute(
            "shade", options=[{"admin": "Red", "fr": "Rouge"}, {"admin": "Blue"}, {"admin": "Green"}]
        )
        with catalog.engine.begin() as conn:
            conn.execute(
                update(s.catalog_eav_attribute)
                .where(s.catalog_eav_attribute.c.attribute_id == self.shade)
                .values(additional_data='{"swatch_input_type":"visual"}')
            )
            conn.execute(
                insert(s.eav_attribute_label).values(attribute_id=self.shade, store_id=self.fr, value="Teinte")
            )
            conn.execute(
                insert(s.eav_attribute_option_swatch),
                [
                    {"option_id": self.red, "store_id": 0, "type": 1, "value": "#ff0000"},
                    {"option_id": self.blue, "store_id": 0, "type": 2, "value": "/b/l/blue.png"},
                    {"option_id": self.blue, "store_id": self.fr, "type": 1, "value": "#0000ff"},
                    {"option_id": self.green, "store_id": 0, "type": 3, "value": "green-ish"},
                ],
            )
        catalog.add_product("CFG", entity_id=100, type_id="configurable", values={"name": {"admin": "Hoodie"}})
        for entity_id, option, status in (
            (101, self.red, {"admin": 1}),
            (102, self.blue, {"admin": 1}),
            (103, self.green, {"admin": 1, "fr": 2}),
        ):
            catalog.add_product(
                f"CFG-{entity_id}",
                entity_id=entity_id,
                values={"name": {"admin": f"Child {entity_id}"}, "shade": {"admin": option}, "status": status},
            )
        catalog.link_configurable(100, [101, 102, 103], ["shade"])

        catalog.add_product("CUSTOM", entity_id=200, values={"name": {"admin": "Mug"}})
        catalog.add_product("OTHER", entity_id=300, values={"name": {"admin": "Plain"}})
        self._custom_options(catalog.engine)

        catalog.add_product("BUNDLE", entity_id=400, type_id="bundle", values={"name": {"admin": "Kit"}})
        catalog.add_product("STRAP", entity_id=401, values={"name": {"admin": "Strap", "fr": "Sangle"}})
        catalog.add_product("BALL", entity_id=402, values={"name": {"admin": "Ball"}})
        self._bundle(catalog.engine)

        catalog.add_product(
            "EBOOK",
            entity_id=500,
            type_id="downloadable",
            values={"name": {"admin": "E-book"}, "links_title": {"admin": "Files", "fr": "Fichiers"}},
        )
        self._downloadable(catalog.engine)

    def _custom_options(self, engine: Any) -> None:
        fr = self.fr
        options = [
            # option id, type, required, sku, max chars, extension, x, y, sort order
            (1, "drop_down", 1, None, None, None, None, None, 1),
            (2, "field", 0, "ENG", 20, None, None, None, 2),
            (3, "file", 1, "LOGO", None, "png, jpg", 300, 200, 3),
            (4, "radio", 0, None, None, None, None, None, 4),
            (5, "checkbox", 0, None, None, None, None, None, 5),
            (6, "multiple", 0, None, None, None, None, None, 6),
            (7, "area", 0, "NOTE", 200, None, None, None, 7),
            (8, "date", 0, None, None, None, None, None, 8),
            (9, "date_time", 0, None, None, None, None, None, 8),
            (10, "time", 0, None, None, None, None, None, 0),
            (11, "field", 0, None, None, None, None, None, 0),  # no store 0 title: not exported
        ]
        titles = {
            1: "Colour",
            2: "Engraving",
            3: "Logo",
            4: "Size",
            5: "Extras",
            6: "Toppings",
            7: "Note",
            8: "Date",
            9: "When",
            10: "Hour",
        }
        with engine.begin() as conn:
            conn.execute(
                insert(s.catalog_product_option),
                [
                    dict(
                        zip(
                            (
                                "option_id",
                                "type",
                                "is_require",
                                "sku",
                                "max_characters",
                                "file_extension",
                                "image_size_x",
                                "image_size_y",
                                "sort_order",
                            ),
                            row,
                            strict=True,
                        ),
                        product_id=200,
                    )
                    for row in options
                ],
            )
            conn.execute(
                insert(s.catalog_product_option_title),
                [{"option_id": k, "store_id": 0, "title": v} for k, v in titles.items()]
                + [
                    {"option_id": 1, "store_id": fr, "title": "Couleur"},
                    {"option_id": 2, "store_id": fr, "title": None},  # a store row without a title of its own
                    {"option_id": 11, "store_id": fr, "title": "Seulement fr"},
                ],
            )
            conn.execute(
                insert(s.catalog_product_option_price),
                [
                    {"option_id": 2, "store_id": 0, "price": Decimal("5"), "price_type": "fixed"},
                    {"option_id": 2, "store_id": fr, "price": Decimal("6.5"), "price_type": "fixed"},
                    {"option_id": 3, "store_id": 0, "price": Decimal("3"), "price_type": "percent"},
                    {"option_id": 3, "store_id": fr, "price": Decimal("9"), "price_type": "fixed"},  # no fr title
                ],
            )
            values = [  # value id, option id, sku, sort order
                (21, 1, "R", 2),
                (22, 1, "B", 1),
                (23, 1, None, 3),
                (41, 4, "S", 0),
                (51, 5, "X", 0),
                (61, 6, "T", 0),
            ]
            conn.execute(
                insert(s.catalog_product_option_type_value),
                [dict(zip(("option_type_id", "option_id", "sku", "sort_order"), v, strict=True)) for v in values],
            )
            conn.execute(
                insert(s.catalog_product_option_type_title),
                [
                    {"option_type_id": 21, "store_id": 0, "title": "Red"},
                    {"option_type_id": 21, "store_id": fr, "title": "Rouge"},
                    {"option_type_id": 22, "store_id": 0, "title": "Blue"},
                    {"option_type_id": 23, "store_id": fr, "title": "Vert"},  # titled at fr only
                    {"option_type_id": 41, "store_id": 0, "title": "Small"},
                    {"option_type_id": 51, "store_id": 0, "title": "Extra"},
                    {"option_type_id": 61, "store_id": 0, "title": "Cheese"},
                ],
            )
            conn.execute(
                insert(s.catalog_product_option_type_price),
                [
                    {"option_type_id": 21, "store_id": 0, "price": Decimal("1.5"), "price_type": "fixed"},
                    {"option_type_id": 21, "store_id": fr, "price": Decimal("2"), "price_type": "fixed"},
                    {"option_type_id": 22, "store_id": 0, "price": Decimal("10"), "price_type": "percent"},
                    {"option_type_id": 22, "store_id": fr, "price": Decimal("11"), "price_type": "fixed"},  # no title
                    {"option_type_id": 41, "store_id": 0, "price": Decimal("0.25"), "price_type": "fixed"},
                ],
            )

    def _downloadable(self, engine: Any) -> None:
        with engine.begin() as conn:
            conn.execute(
                insert(s.downloadable_link),
                [
                    {
                        "link_id": 5,
                        "product_id": 500,
                        "sort_order": 2,
                        "number_of_downloads": 3,
                        "is_shareable": 0,
                        "link_type": "url",
                        "link_url": "https://x.test/a.pdf",
                        "sample_type": "file",
                        "sample_file": "/a/sample.pdf",
                    },
                    {
                        "link_id": 6,
                        "product_id": 500,
                        "sort_order": 1,
                        "number_of_downloads": None,
                        "is_shareable": 0,
                        "link_type": "url",
                        "link_url": "https://x.test/b.pdf",
                        "sample_type": None,
                        "sample_file": None,
                    },
                ],
            )
            conn.execute(
                insert(s.downloadable_link_title),
                [
                    {"link_id": 5, "store_id": 0, "title": "Chapter 1"},
                    {"link_id": 5, "store_id": self.fr, "title": "Chapitre 1"},
                    {"link_id": 6, "store_id": 0, "title": "Chapter 2"},
                ],
            )
            conn.execute(
                insert(s.downloadable_link_price),
                [
                    {"link_id": 5, "website_id": 0, "price": Decimal("2.5")},
                    {"link_id": 5, "website_id": 1, "price": Decimal("3")},
                ],
            )

    def _bundle(self, engine: Any) -> None:
        with engine.begin() as conn:
            conn.execute(
                insert(s.catalog_product_bundle_option),
                [
                    {"option_id": 7, "parent_id": 400, "required": 1, "position": 2, "type": "select"},
                    {"option_id": 8, "parent_id": 400, "required": 0, "position": 1, "type": "checkbox"},
                ],
            )
            conn.execute(
                insert(s.catalog_product_bundle_option_value),
                [
                    {"option_id": 7, "parent_product_id": 400, "store_id": 0, "title": "Parts"},
                    {"option_id": 7, "parent_product_id": 400, "store_id": self.fr, "title": "Pièces"},
                    {"option_id": 8, "parent_product_id": 400, "store_id": 0, "title": "Empty"},
                ],
            )
            conn.execute(
                insert(s.catalog_product_bundle_selection),
                [
                    {
                        "selection_id": 70,
                        "option_id": 7,
                        "parent_product_id": 400,
                        "product_id": 401,
                        "position": 1,
                        "is_default": 1,
                        "selection_price_type": 0,
                        "selection_price_value": Decimal("3.5"),
                        "selection_qty": Decimal("2"),
                        "selection_can_change_qty": 0,
                    },
                    {
                        "selection_id": 71,
                        "option_id": 7,
                        "parent_product_id": 400,
                        "product_id": 402,
                        "position": 0,
                        "is_default": 0,
                        "selection_price_type": 1,
                        "selection_price_value": Decimal("10"),
                        "selection_qty": Decimal("1.5"),
                        "selection_can_change_qty": 1,
                    },
                ],
            )
            conn.execute(
                insert(s.catalog_product_bundle_selection_price).values(
                    selection_id=70,
                    parent_product_id=400,
                    website_id=1,
                    selection_price_type=0,
                    selection_price_value=Decimal("4.25"),
                )
            )


@pytest.fixture(scope="module", params=KIND_PARAMS)
def options_catalog(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OptionsCatalog]:
    with temporary_database(request.param, tmp_path_factory.mktemp("options")) as url:
        yield OptionsCatalog(Catalog(url))


@pytest.fixture
def hand_items(options_catalog: OptionsCatalog) -> dict[tuple[str, str], Any]:
    result = build_feed(PRODUCTS, options_catalog.catalog.url)
    assert result.failures == []
    return items_by_key(result.items)


def test_custom_selectable_options_at_store_0_and_at_a_store_view(hand_items) -> None:
    # Given a product with drop_down, radio, checkbox and multiple options, some titled and priced at "fr"
    # When the feed is built
    default, fr = hand_items[("CUSTOM", "default")], hand_items[("CUSTOM", "fr")]

    # Then the selectable options come by sort order, with the bare option id and value uids
    def selectable(option_id: int, label: str, sort: int, required: bool, render: str, values: Any) -> Any:
        return {
            "id": str(option_id),
            "label": label,
            "sortOrder": sort,
            "required": required,
            "renderType": render,
            "type": "custom_option",
            "values": values,
        }

    others = [
        selectable(4, "Size", 4, False, "radio", [custom_value("custom-option/4/41", "Small", 0, "S", 0.25)]),
        selectable(5, "Extras", 5, False, "checkbox", [custom_value("custom-option/5/51", "Extra", 0, "X", None)]),
        selectable(6, "Toppings", 6, False, "multiple", [custom_value("custom-option/6/61", "Cheese", 0, "T", None)]),
    ]
    assert default["optionsV2"] == [
        selectable(
            1,
            "Colour",
            1,
            True,
            "drop_down",
            [
                custom_value("custom-option/1/21", "Red", 2, "R", 1.5),
                custom_value("custom-option/1/22", "Blue", 1, "B", 10.0),
            ],
        ),
        *others,
    ]
    # And at "fr" the titled rows win (title and price), an untitled fr price is ignored, a fr-only value is added
    assert fr["optionsV2"] == [
        selectable(
            1,
            "Couleur",
            1,
            True,
            "drop_down",
            [
                custom_value("custom-option/1/21", "Rouge", 2, "R", 2.0),
                custom_value("custom-option/1/22", "Blue", 1, "B", 10.0),
                custom_value("custom-option/1/23", "Vert", 3, None, None),
            ],
        ),
        *others,
    ]


def test_custom_entered_options_are_shopper_input_options(hand_items) -> None:
    # Given field, file, area, date, date_time and time options (and a field titled only at "fr")
    # When the feed is built
    default, fr = hand_items[("CUSTOM", "default")], hand_items[("CUSTOM", "fr")]

    # Then each is a shopper input option with uid "custom-option/<id>", range.to = max_characters
    def entered(option_id: int, label: str, sort: int, render: str, **extra: Any) -> dict[str, Any]:
        to = extra.pop("to", None)
        return {
            "id": b64(f"custom-option/{option_id}"),
            "label": label,
            "sortOrder": sort,
            "required": extra.pop("required", False),
            "renderType": render,
            **{k: v for k, v in extra.items() if k in ("price", "fileExtension", "sku")},
            "range": {"from": None, "to": to},
            **{k: v for k, v in extra.items() if k in ("imageSizeX", "imageSizeY")},
        }

    tail = [
        entered(7, "Note", 7, "area", sku="NOTE", to=200.0),
        entered(8, "Date", 8, "date"),
        entered(9, "When", 8, "date_time"),
    ]
    hour = entered(10, "Hour", 0, "time")
    logo = entered(
        3,
        "Logo",
        3,
        "file",
        required=True,
        price=3.0,
        fileExtension="png, jpg",
        sku="LOGO",
        imageSizeX=300,
        imageSizeY=200,
    )
    assert default["shopperInputOptions"] == [
        hour,
        entered(2, "Engraving", 2, "field", price=5.0, sku="ENG", to=20.0),
        logo,
        *tail,
    ]
    # And at "fr" the titled-but-NULL store row keeps the default title and takes its own price
    assert fr["shopperInputOptions"] == [
        hour,
        entered(2, "Engraving", 2, "field", price=6.5, sku="ENG", to=20.0),
        logo,
        *tail,
    ]
    # And the keys come in the record's declared order
    assert list(logo) == [
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
    ]


def test_bundle_options_and_selections(hand_items) -> None:
    # Given a bundle with a select option of two selections (one with a website price) and an empty checkbox
    # When the feed is built
    default, fr = hand_items[("BUNDLE", "default")], hand_items[("BUNDLE", "fr")]

    # Then options come by option id; the website price wins; the uid carries the whole qty; a
    # selection priced in percent says so (Adobe's bundle priceType)
    def options(title: str, strap: str) -> list[dict[str, Any]]:
        return [
            {
                "id": "7",
                "label": title,
                "sortOrder": 2,
                "required": True,
                "renderType": "select",
                "type": "bundle",
                "values": [
                    bundle_value("bundle/7/70/2", strap, 1, True, False, 2.0, "STRAP", 4.25),
                    bundle_value("bundle/7/71/1", "Ball", 0, False, True, 1.5, "BALL", 10.0, "percent"),
                ],
            },
            {
                "id": "8",
                "label": "Empty",
                "sortOrder": 1,
                "required": False,
                "renderType": "checkbox",
                "type": "bundle",
                "values": None,  # Adobe's provider sets [] (`?? []`), which the transformer keeps as null
            },
        ]

    assert default["optionsV2"] == options("Parts", "Strap")
    # And at "fr" the option title and the child's name are the fr ones
    assert fr["optionsV2"] == options("Pièces", "Sangle")
    assert default["shopperInputOptions"] is None


def test_downloadable_links_are_one_option(hand_items) -> None:
    # Given a downloadable product with links_title "Files" (fr "Fichiers") and two links: link 5 (sort 2, a
    # sample, 3 downloads, priced 2.5 at website 0 and 3 at website 1) and link 6 (sort 1, no price, unlimited)
    # When the feed is built
    default, fr = hand_items[("EBOOK", "default")], hand_items[("EBOOK", "fr")]

    # Then one option "link:<id>" lists the links by sort order; infoUrl is Adobe's sample URL with the link id
    def link(link_id: int, label: str, sort: int, qty: float, info: str | None, price: float) -> dict[str, Any]:
        return {
            "id": b64(f"downloadable/{link_id}"),
            "label": label,
            "sortOrder": sort,
            "isDefault": None,
            "colorHex": None,
            "imageUrl": None,
            "customSwatchValue": None,
            "qtyMutability": None,
            "qty": qty,
            "infoUrl": info,
            "sku": None,
            "price": price,
            "priceType": None,
        }

    def options(title: str, chapter: str) -> list[dict[str, Any]]:
        return [
            {
                "id": "link:500",
                "label": title,
                "type": "downloadable",
                "values": [
                    link(6, "Chapter 2", 1, 0.0, None, 0.0),
                    link(5, chapter, 2, 3.0, "http://magento.test/downloadable/download/sample/sample_id/5", 3.0),
                ],
            }
        ]

    assert default["optionsV2"] == options("Files", "Chapter 1")
    assert fr["optionsV2"] == options("Fichiers", "Chapitre 1")


def test_configurable_swatches_labels_and_disabled_variants(hand_items, options_catalog) -> None:
    # Given a configurable on "shade": red (colour swatch), blue (image swatch, a colour at fr),
    # green (a custom swatch type 3, its variant disabled at fr); the attribute is labelled "Teinte" at fr
    c = options_catalog
    default, fr = hand_items[("CFG", "default")], hand_items[("CFG", "fr")]

    # When the feed is built, then at the default view every variant's value is there with its swatch
    def shade(label: str, values: list[Any]) -> list[dict[str, Any]]:
        swatch = '{"swatch_input_type":"visual"}'
        return [
            {
                "id": "shade",
                "label": label,
                "sortOrder": 0,
                "type": "configurable",
                "swatchType": swatch,
                "values": values,
            }
        ]

    blue_image = "http://magento.test/media/attribute/swatch/b/l/blue.png"  # the store's media URL + swatch path
    assert default["optionsV2"] == shade(
        "Shade",
        [
            configurable_value(c.shade, c.red, "Red", 0, colorHex="#ff0000"),
            configurable_value(c.shade, c.blue, "Blue", 0, imageUrl=blue_image),
            configurable_value(c.shade, c.green, "Green", 0, customSwatchValue="green-ish"),
        ],
    )
    # And at fr: the store label, the fr swatch over store 0, and no value of the disabled variant
    assert fr["optionsV2"] == shade(
        "Teinte",
        [
            configurable_value(c.shade, c.red, "Rouge", 0, colorHex="#ff0000"),
            configurable_value(c.shade, c.blue, "Blue", 0, colorHex="#0000ff"),
        ],
    )
    # And a product without options has none
    assert hand_items[("OTHER", "default")]["optionsV2"] is None
    assert hand_items[("OTHER", "default")]["shopperInputOptions"] is None


ALL_SKUS = {"CFG", "CFG-101", "CFG-102", "CFG-103", "CUSTOM", "OTHER", "BUNDLE", "STRAP", "BALL", "EBOOK"}


@pytest.mark.parametrize(
    ("change", "rebuilt_skus", "value_id", "label"),
    [
        # a product's own option rows rebuild that product only
        ("custom option title", {"CUSTOM"}, b64("custom-option/1/22"), "Navy"),
        ("bundle selection qty", {"BUNDLE"}, b64("bundle/7/71/3"), "Ball"),
        # option labels of super attributes are the feed's context: every product is built again
        ("swatch option label", ALL_SKUS, None, "Navy"),
    ],
)
def test_changing_an_option_rebuilds_the_product(
    make_db, change: str, rebuilt_skus: set[str], value_id: str | None, label: str
) -> None:
    # Given the options catalog built once, with each product's fingerprint kept
    c = OptionsCatalog(Catalog(make_db("sqlite")))
    first = build_products(MagentoSource(c.catalog.url), 0, 10_000)
    known = dict(first.source_hashes)
    assert build_products(MagentoSource(c.catalog.url), 0, 10_000, known).items == []

    # When one option row changes
    with c.catalog.engine.begin() as conn:
        if change == "custom option title":
            t = s.catalog_product_option_type_title
            conn.execute(update(t).where(t.c.option_type_id == 22, t.c.store_id == 0).values(title="Navy"))
            sku, option_index, value_index = "CUSTOM", 0, 1
        elif change == "bundle selection qty":
            sel = s.catalog_product_bundle_selection
            conn.execute(update(sel).where(sel.c.selection_id == 71).values(selection_qty=Decimal("3")))
            sku, option_index, value_index = "BUNDLE", 0, 1
        else:
            v = s.eav_attribute_option_value
            conn.execute(update(v).where(v.c.option_id == c.blue, v.c.store_id == 0).values(value="Navy"))
            sku, option_index, value_index = "CFG", 0, 1
            value_id = b64(f"configurable/{c.shade}/{c.blue}")
    again = build_products(MagentoSource(c.catalog.url), 0, 10_000, known)

    # Then exactly the products that depend on the row are built again, carrying the change
    assert {item["sku"] for item in again.items} == rebuilt_skus
    item = next(i for i in again.items if i["sku"] == sku and i["storeViewCode"] == "default")
    changed = item["optionsV2"][option_index]["values"][value_index]
    assert (changed["id"], changed["label"]) == (value_id, label)
