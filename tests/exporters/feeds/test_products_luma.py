"""The whole products feed over the real Magento 2.4.7 Luma database (MariaDB)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from exporters.feeds import PRODUCTS, item_error
from tests.support.feeds import build_feed
from tests.support.items import items_by_key, without

MEDIA = "https://luma.example.com/media/catalog/product"
JOUST_DESCRIPTION = (
    "<p>The sporty Joust Duffle Bag can't be beat - not in the gym, not on the luggage carousel, not anywhere. "
    "Big enough to haul a basketball or soccer ball and some sneakers with plenty of room to spare, it's ideal "
    "for athletes with places to go.<p>\n<ul>\n<li>Dual top handles.</li>\n<li>Adjustable shoulder strap.</li>\n"
    '<li>Full-length zipper.</li>\n<li>L 29" x W 13" x H 11".</li>\n</ul>'
)


@pytest.fixture(scope="module")
def luma_items(luma_url: str) -> dict[tuple[str, str], Any]:
    """The products feed of the Luma database, built once for the module."""
    result = build_feed(PRODUCTS, luma_url, 1, 3000)
    assert result.failures == []
    return items_by_key(result.items)


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
        "shortDescription": None,
        "metaTitle": None,
        "metaDescription": None,
        "metaKeyword": None,
        "status": "Enabled",
        "visibility": "Catalog, Search",
        "weight": None,
        "taxClassId": None,
        "attributes": [],
        "categoryIds": ["3", "4"],
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
                "sortOrder": 1,
            }
        ],
        "inStock": True,
        "variants": [],
        "parents": [],
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
