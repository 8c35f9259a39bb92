"""The whole products feed over the real Magento 2.4.7 Luma database (MariaDB)."""

from __future__ import annotations

from collections import Counter

from exporters.feeds import PRODUCTS, item_error
from tests.support.items import without
from tests.support.luma import JOUST_DUFFLE_LINKS

MEDIA = "https://luma.example.com/media/catalog/product"
JOUST_DESCRIPTION = (
    "<p>The sporty Joust Duffle Bag can't be beat - not in the gym, not on the luggage carousel, not anywhere. "
    "Big enough to haul a basketball or soccer ball and some sneakers with plenty of room to spare, it's ideal "
    "for athletes with places to go.<p>\n<ul>\n<li>Dual top handles.</li>\n<li>Adjustable shoulder strap.</li>\n"
    '<li>Full-length zipper.</li>\n<li>L 29" x W 13" x H 11".</li>\n</ul>'
)


def test_the_whole_feed_has_2040_valid_items(luma_items) -> None:
    # Then the feed has 2040 valid items, all at the one store view
    assert len(luma_items) == 2040
    assert all(item_error(PRODUCTS, item) is None for item in luma_items.values())
    assert Counter(item["type"] for item in luma_items.values()) == {
        "simple": 1891,
        "configurable": 147,
        "bundle": 1,
        "grouped": 1,
    }
    assert {item["storeViewCode"] for item in luma_items.values()} == {"default"}


def test_a_simple_product(luma_items) -> None:
    # Given 24-MB01, the Joust Duffle Bag, in two categories with one image
    item = without(luma_items[("24-MB01", "default")], "modifiedAt")
    # Then its item is exactly as Luma shows it
    assert item == {
        "productId": 1,
        "sku": "24-MB01",
        "storeViewCode": "default",
        "storeCode": "main_website_store",
        "websiteCode": "base",
        "type": "simple",
        "createdAt": "2024-04-25 14:01:25",
        "updatedAt": "2024-04-25 14:01:25",
        "deleted": False,
        "name": "Joust Duffle Bag",
        "urlKey": "joust-duffle-bag",
        "description": JOUST_DESCRIPTION,
        "status": "Enabled",
        "visibility": "Catalog, Search",
        "taxClassId": "no",  # no tax_class_id row: Adobe's TaxClassFormatter sends "no"
        "categoryIds": ["3", "4"],
        "categories": ["gear", "gear/bags"],
        "categoryData": [
            {"categoryId": "3", "categoryPath": "gear", "productPosition": 0},
            {"categoryId": "4", "categoryPath": "gear/bags", "productPosition": 0},
        ],
        "images": [
            {
                "resource": {
                    "url": f"{MEDIA}/m/b/mb01-blue-0.jpg",
                    "label": "Image",
                    "roles": ["image", "small_image", "thumbnail"],
                },
                "sortOrder": "1",
            }
        ],
        "media_gallery": [
            {
                "url": f"{MEDIA}/m/b/mb01-blue-0.jpg",
                "label": "Image",
                "types": ["image", "small_image", "thumbnail"],
                "sort_order": 1,
            }
        ],
        # the deprecated role images: the role's file; no image_label rows (cast in place: null kept)
        "image": {"url": f"{MEDIA}/m/b/mb01-blue-0.jpg", "label": None},
        "smallImage": {"url": f"{MEDIA}/m/b/mb01-blue-0.jpg", "label": None},
        "thumbnail": {"url": f"{MEDIA}/m/b/mb01-blue-0.jpg", "label": None},
        "inStock": True,
        "lowStock": False,  # qty 100, no stock_threshold_qty (0)
        "displayable": True,
        "buyable": True,
        "currency": "USD",
        # the canonical rewrite (no category in its path) on the link base URL; every rewrite, with
        # the name/value pairs of its target path
        "url": "https://luma.example.com/joust-duffle-bag.html",
        "urlRewrites": [
            {"url": "https://luma.example.com/joust-duffle-bag.html", "parameters": [{"name": "id", "value": "1"}]},
            {
                "url": "https://luma.example.com/gear/joust-duffle-bag.html",
                "parameters": [{"name": "id", "value": "1"}, {"name": "category", "value": "3"}],
            },
            {
                "url": "https://luma.example.com/gear/bags/joust-duffle-bag.html",
                "parameters": [{"name": "id", "value": "1"}, {"name": "category", "value": "4"}],
            },
        ],
        # its four cross-sells and eight up-sells (catalog_product_link types 5 and 4), by type then sku
        "links": JOUST_DUFFLE_LINKS,
        # fields with a provider of their own are there, null when it had nothing (weightUnit: no weight)
        "attributes": None,
        "weightUnit": None,
        "variants": None,
        "parents": None,
        "videos": None,
        "samples": None,
        "optionsV2": None,
        "shopperInputOptions": None,
    }


def test_a_configurable_with_its_variants(luma_items) -> None:
    # Given MH01, a hoodie in five sizes and three colors
    hoodie = luma_items[("MH01", "default")]
    assert (hoodie["name"], hoodie["type"], hoodie["visibility"]) == (
        "Chaz Kangeroo Hoodie",
        "configurable",
        "Catalog, Search",
    )
    assert hoodie["variants"] == [
        {"sku": f"MH01-{size}-{color}"} for size in ("L", "M", "S", "XL", "XS") for color in ("Black", "Gray", "Orange")
    ]
    child = luma_items[("MH01-XS-Black", "default")]
    assert child["parents"] == [{"sku": "MH01", "productType": "configurable"}]
    assert child["visibility"] == "Not Visible Individually"
    assert child["attributes"] == [
        {"attributeCode": "color", "value": ["Black"], "valueId": ["49"]},
        {"attributeCode": "size", "value": ["XS"], "valueId": ["166"]},
    ]


def test_a_multiselect_attribute_has_its_labels(luma_items) -> None:
    # Given the attributes of MH01, "climate" and "material" multiselects among them
    attributes = {a["attributeCode"]: a for a in luma_items[("MH01", "default")]["attributes"]}
    assert attributes["climate"] == {
        "attributeCode": "climate",
        "value": ["All-Weather", "Cool", "Indoor", "Spring", "Windy"],
        "valueId": ["201", "203", "204", "207", "209"],
    }
    assert attributes["material"] == {"attributeCode": "material", "value": ["Wool"], "valueId": ["158"]}
    assert attributes["eco_collection"] == {
        "attributeCode": "eco_collection",
        "value": ["Yes"],
        "valueId": ["1"],
    }
