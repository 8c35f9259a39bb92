"""The products feed on a hand-built catalog, in SQLite, MariaDB and PostgreSQL."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import event, insert

from exporters.feeds import PRODUCTS, item_error
from exporters.runs import MAX_ID
from exporters.source import MagentoSource
from exporters.source import schema as s
from tests.support.catalog import Catalog
from tests.support.feeds import build_feed
from tests.support.hand_catalog import LONG_DESCRIPTION, QUOTED_SKU, HandBuilt
from tests.support.items import items_by_key, product_keys, without

MEDIA = "http://magento.test/media/catalog/product"


@pytest.fixture(scope="module")
def items(hand_catalog: HandBuilt) -> dict[tuple[str, str], Any]:
    """The products feed of the hand-built catalog, built once per module and database kind."""
    result = build_feed(PRODUCTS, hand_catalog.url, 1, 10_000)
    assert result.failures == []
    return items_by_key(result.items)


def test_simple_product_is_exact_at_each_store_view(items, hand_catalog: HandBuilt) -> None:
    # Given a simple product with store-level names, option attributes, categories and an image
    o = hand_catalog.options
    common = {
        "productId": 10,
        "sku": "P-SIMPLE",
        "storeCode": "main_website_store",
        "websiteCode": "base",
        "type": "simple",
        "createdAt": "2024-04-25 14:01:25",
        "updatedAt": "2024-05-02 09:30:00",
        "deleted": False,
        "urlKey": "joust-duffle-bag",
        "description": "<p>Bag</p>",
        "status": "Enabled",
        "visibility": "Catalog, Search",
        "weight": 2.5,
        "taxClassId": "Taxable Goods",
        "categoryIds": ["10", "11"],
        "inStock": True,
        # fields with a provider of their own are there, null when the provider had nothing
        "variants": None,
        "parents": None,
        "videos": None,
        "urlRewrites": None,
        "links": None,
        "samples": None,
        "optionsV2": None,
        "shopperInputOptions": None,
        # the deprecated role images: the role's file, no image_label set (cast in place: null kept)
        "image": {"url": f"{MEDIA}/m/b/mb01.jpg", "label": None},
        "smallImage": {"url": f"{MEDIA}/m/b/mb01.jpg", "label": None},
        "thumbnail": {"url": f"{MEDIA}/m/b/mb01.jpg", "label": None},
        "displayable": True,
        "buyable": True,
        "lowStock": False,
        "currency": "USD",
        "weightUnit": "lbs",
        "url": "http://magento.test/catalog/product/view/id/10/s/joust-duffle-bag/",
    }
    # When the feed is built
    default, fr = items[("P-SIMPLE", "default")], items[("P-SIMPLE", "fr")]
    # Then each store view sees its own labels, with fallback to the admin values
    assert without(default, "modifiedAt") == {
        **common,
        "storeViewCode": "default",
        "name": "Joust Duffle Bag",
        "attributes": [
            {
                "attributeCode": "fabric",
                "value": ["Cotton", "Silk"],
                "valueId": [str(o["cotton"]), str(o["silk"])],
            },
            {"attributeCode": "shade", "value": ["Red"], "valueId": [str(o["red"])]},
        ],
        "categoryData": [
            {"categoryId": "10", "categoryPath": "gear", "productPosition": 1},
            {"categoryId": "11", "categoryPath": "gear/bags", "productPosition": 3},
        ],
        "categories": ["gear", "gear/bags"],
        "images": [
            {
                "resource": {
                    "url": f"{MEDIA}/m/b/mb01.jpg",
                    "label": "Front",
                    "roles": ["image", "small_image", "thumbnail"],
                },
                "sortOrder": "1",
            }
        ],
        "media_gallery": [
            {
                "url": f"{MEDIA}/m/b/mb01.jpg",
                "label": "Front",
                "types": ["image", "small_image", "thumbnail"],
                "sort_order": 1,
            }
        ],
    }
    assert without(fr, "modifiedAt") == {
        **common,
        "storeViewCode": "fr",
        "name": "Sac Joust",
        "attributes": [
            {
                "attributeCode": "fabric",
                "value": ["Coton", "Silk"],
                "valueId": [str(o["cotton"]), str(o["silk"])],
            },
            {"attributeCode": "shade", "value": ["Rouge"], "valueId": [str(o["red"])]},
        ],
        "categoryData": [
            {"categoryId": "10", "categoryPath": "equipement", "productPosition": 1},
            {"categoryId": "11", "categoryPath": "gear/bags", "productPosition": 3},
        ],
        "categories": ["equipement", "gear/bags"],
        "images": [
            {
                "resource": {
                    "url": f"{MEDIA}/m/b/mb01.jpg",
                    "label": "Devant",
                    "roles": ["image", "small_image", "thumbnail"],
                },
                "sortOrder": "1",
            }
        ],
        "media_gallery": [
            {
                "url": f"{MEDIA}/m/b/mb01.jpg",
                "label": "Devant",
                "types": ["image", "small_image", "thumbnail"],
                "sort_order": 1,
            }
        ],
    }


def test_store_row_with_null_value_overrides_the_default(items) -> None:
    # Given description "Default text" at store 0 and a NULL row at store view "default"
    # Then "default" sends no description (a null field is left out) and "fr" (no row of its own)
    # falls back to store 0
    assert "description" not in items[("P-NULL", "default")]
    assert items[("P-NULL", "fr")]["description"] == "Default text"


def test_global_attribute_ignores_a_stray_store_row(items) -> None:
    # Given weight (global) 2.5 at store 0 and a stray 9.9 at store view "default"
    assert items[("P-SIMPLE", "default")]["weight"] == 2.5
    assert items[("P-SIMPLE", "fr")]["weight"] == 2.5


def test_items_exist_only_for_the_views_of_assigned_websites(items) -> None:
    # Given P-W2 on the second website only and P-NOWEB on no website
    assert sorted(k for k in items if k[0] == "P-W2") == [("P-W2", "store_view_2")]
    assert items[("P-W2", "store_view_2")]["websiteCode"] == "website_2"
    assert items[("P-W2", "store_view_2")]["storeCode"] == "store_group_2"
    assert [k for k in items if k[0] == "P-NOWEB"] == []
    # and every other product is on "base" with its two views
    assert sorted(k[1] for k in items if k[0] == "P-SIMPLE") == ["default", "fr"]


def test_website_scope_status_differs_per_view(items) -> None:
    # Given status enabled at store 0 and at "default", disabled at "fr"
    assert items[("P-STATUS", "default")]["status"] == "Enabled"
    assert items[("P-STATUS", "fr")]["status"] == "Disabled"


def test_unicode_html_and_a_60000_character_description_survive(items) -> None:
    # Given P-UNI with a non-ASCII name and a 60,000-character HTML description
    item = items[("P-UNI", "default")]
    assert item["name"] == "Zoë’s Café ☕ 東京"
    assert item["description"] == LONG_DESCRIPTION
    assert len(item["description"]) == 60_000


def test_sku_with_quotes_and_backslash(items) -> None:
    # Given a sku with double and single quotes and a backslash
    assert items[(QUOTED_SKU, "default")]["sku"] == 'He said "hi" \\o/ it\'s'
    assert items[(QUOTED_SKU, "default")]["name"] == "Quoted"


def test_configurable_lists_its_variants_and_variants_their_parent(items, hand_catalog: HandBuilt) -> None:
    # Given CFG with CFG-RED and CFG-BLUE on "shade" (Red has a French label, Blue has none)
    parent = items[("CFG", "fr")]
    assert parent["type"] == "configurable"
    assert parent["variants"] == [{"sku": "CFG-BLUE"}, {"sku": "CFG-RED"}]
    assert parent["parents"] is None
    # and its one super attribute is an option whose values its variants use, labelled at the view
    # (ids: base64 of "configurable/<attribute 137>/<option id>"; value fields the provider does not set are null)
    blank = {"isDefault": None, "colorHex": None, "imageUrl": None, "customSwatchValue": None,
             "qtyMutability": None, "qty": None, "infoUrl": None, "sku": None, "price": None,
             "priceType": None}  # fmt: skip
    assert parent["optionsV2"] == [
        {"id": "shade", "label": "Shade", "sortOrder": 0, "type": "configurable", "values": [
            {"id": "Y29uZmlndXJhYmxlLzEzNy8x", "label": "Rouge", "sortOrder": 0, **blank},
            {"id": "Y29uZmlndXJhYmxlLzEzNy8y", "label": "Blue", "sortOrder": 0, **blank},
        ]},
    ]  # fmt: skip
    child = items[("CFG-RED", "fr")]
    assert child["parents"] == [{"sku": "CFG", "productType": "configurable"}]
    assert child["visibility"] == "Not Visible Individually"
    assert child["attributes"] == [
        {"attributeCode": "shade", "value": ["Rouge"], "valueId": [str(hand_catalog.options["red"])]}
    ]
    assert items[("CFG-BLUE", "fr")]["attributes"][0]["value"] == ["Blue"]  # no fr label: admin label


def test_every_item_of_the_catalog(items) -> None:
    # Then every product on a website has an item at each of its views, each valid by the schema
    assert sorted(items) == sorted(
        [
            (sku, view)
            for sku in ("P-SIMPLE", "P-NULL", "P-STATUS", "P-UNI", QUOTED_SKU, "CFG", "CFG-RED", "CFG-BLUE")
            for view in ("default", "fr")
        ]
        + [("P-W2", "store_view_2")]
    )
    assert all(item_error(PRODUCTS, item) is None for item in items.values())


def test_a_chunk_costs_the_same_number_of_queries_whatever_its_size(hand_catalog: HandBuilt) -> None:
    # Given a source whose metadata is already cached
    source = MagentoSource(hand_catalog.url)
    PRODUCTS.builder(source, 1, 1)
    statements: list[str] = []
    event.listen(source.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    # When a range with one product and a range with all of them are built
    PRODUCTS.builder(source, 10, 10)
    one = len(statements)
    statements.clear()
    items = PRODUCTS.builder(source, 1, 10_000).items
    # Then both take the same fixed number of queries
    assert len(items) == 17
    assert len(statements) == one


def test_the_last_chunk_of_a_plan_reaches_the_largest_id(hand_catalog: HandBuilt, items) -> None:
    # Given the range of a plan's last chunk, which ends at 2**63-1 (beyond PostgreSQL's INTEGER)
    # When the products feed is built over it
    result = PRODUCTS.builder(MagentoSource(hand_catalog.url), 0, MAX_ID)
    # Then it builds the same items as a narrower range
    assert product_keys(result.items) == sorted(items)


def test_orphan_rows_leave_out_only_what_they_point_at(make_db, caplog: pytest.LogCaptureFixture) -> None:
    # Given a product whose multiselect holds an option that is gone, and a value row of a deleted attribute
    catalog = Catalog(make_db("sqlite"))
    _, (wool,) = catalog.add_attribute("material", backend_type="varchar", frontend_input="multiselect",
                                       options=[{"admin": "Wool"}])  # fmt: skip
    catalog.add_product("ORPHANS", entity_id=5, values={"material": {"admin": f"{wool},4242"}})
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.product_values["varchar"]).values(entity_id=5, attribute_id=9999, store_id=0, value="x"))
    # When the products feed is built
    with caplog.at_level(logging.WARNING, logger="exporters.feeds.products"):
        result = build_feed(PRODUCTS, catalog.url, 0, 100)
    # Then the item is built with the known option only and nothing of the deleted attribute
    assert result.failures == []
    (item,) = result.items
    assert item["attributes"] == [{"attributeCode": "material", "value": ["Wool"], "valueId": [str(wool)]}]
    # and the option left out is recorded in the log
    assert caplog.messages == ["attribute material: option id(s) 4242 have no option row; left out of the items"]
