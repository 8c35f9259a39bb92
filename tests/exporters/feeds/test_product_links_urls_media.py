"""Products feed: ``url``/``urlRewrites``, ``links``, media (images, videos, deprecated image fields,
``media_gallery``) and the downloadable fields, as Adobe's providers build them.

Only these fields are asserted: other fields of the same items belong to other tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import insert

from exporters.feeds import PRODUCTS
from exporters.model import Item
from exporters.source import schema as s
from tests.support.catalog import Catalog
from tests.support.databases import KIND_PARAMS, temporary_database
from tests.support.feeds import build_feed
from tests.support.items import items_by_key
from tests.support.luma import JOUST_DUFFLE_LINKS

LUMA = "https://luma.example.com/"
LUMA_MEDIA = f"{LUMA}media/catalog/product"
BASE = "http://magento.test/"
MEDIA = f"{BASE}media/catalog/product"


# --- Luma ------------------------------------------------------------------------------------------
def test_luma_url_is_the_canonical_rewrite_and_every_rewrite_is_listed(luma_items) -> None:
    # Given 24-MB01, with its canonical rewrite and one under each of its two categories
    item = luma_items[("24-MB01", "default")]
    # Then url is the base URL + the canonical request path
    assert item["url"] == f"{LUMA}joust-duffle-bag.html"
    # and urlRewrites lists all three, with the target path's name/value pairs as parameters
    assert item["urlRewrites"] == [
        {"url": f"{LUMA}joust-duffle-bag.html", "parameters": [{"name": "id", "value": "1"}]},
        {
            "url": f"{LUMA}gear/joust-duffle-bag.html",
            "parameters": [{"name": "id", "value": "1"}, {"name": "category", "value": "3"}],
        },
        {
            "url": f"{LUMA}gear/bags/joust-duffle-bag.html",
            "parameters": [{"name": "id", "value": "1"}, {"name": "category", "value": "4"}],
        },
    ]


def test_luma_url_without_rewrite_falls_back_to_the_product_route(luma_items) -> None:
    # Given 24-WG087, not visible individually, so without any URL rewrite
    item = luma_items[("24-WG087", "default")]
    # Then url is Magento's product route with the url key, and urlRewrites, provided, is null
    assert item["url"] == f"{LUMA}catalog/product/view/id/35/s/sprite-yoga-strap-10-foot/"
    assert item["urlRewrites"] is None


def test_luma_links_by_type_then_sku(luma_items) -> None:
    # Given 24-MB01 (4 cross-sells, 8 up-sells) and 24-WG087 (4 cross-sells, 4 related)
    # Then links carry Adobe's type names, ordered by type, then sku
    assert luma_items[("24-MB01", "default")]["links"] == JOUST_DUFFLE_LINKS
    assert luma_items[("24-WG087", "default")]["links"] == [
        {"sku": "24-UG01", "type": "crosssell"},
        {"sku": "24-WG080", "type": "crosssell"},
        {"sku": "24-WG081-gray", "type": "crosssell"},
        {"sku": "24-WG085", "type": "crosssell"},
        {"sku": "24-WG080", "type": "related"},
        {"sku": "24-WG083-blue", "type": "related"},
        {"sku": "24-WG085", "type": "related"},
        {"sku": "24-WG086", "type": "related"},
    ]


def test_luma_deprecated_image_fields_and_media_gallery(luma_items) -> None:
    # Given 24-MB01, whose one image has the roles image, small_image and thumbnail and no role labels
    item = luma_items[("24-MB01", "default")]
    url = f"{LUMA_MEDIA}/m/b/mb01-blue-0.jpg"
    # Then the deprecated fields point at it, their null label kept; without a swatch image it is left out
    assert (item["image"], item["smallImage"], item["thumbnail"]) == (
        {"url": url, "label": None},
        {"url": url, "label": None},
        {"url": url, "label": None},
    )
    assert "swatchImage" not in item
    # and media_gallery lists it with its roles as types and an integer sort order, no video_attributes
    assert item["media_gallery"] == [
        {"url": url, "label": "Image", "types": ["image", "small_image", "thumbnail"], "sort_order": 1}
    ]
    # and images carries sortOrder as a string; videos and samples, provided, are null
    assert item["images"] == [
        {"resource": {"url": url, "label": "Image", "roles": ["image", "small_image", "thumbnail"]}, "sortOrder": "1"}
    ]
    assert (item["videos"], item["samples"]) == (None, None)
    assert "linksPurchasedSeparately" not in item


# --- a hand-built catalog --------------------------------------------------------------------------------
def _gallery(catalog: Catalog, value_id: int, entity_id: int, file: str, media_type: str = "image") -> None:
    with catalog.engine.begin() as conn:
        conn.execute(
            insert(s.catalog_product_entity_media_gallery).values(
                value_id=value_id, attribute_id=90, value=file, media_type=media_type, disabled=0
            )
        )
        conn.execute(
            insert(s.catalog_product_entity_media_gallery_value_to_entity).values(
                value_id=value_id, entity_id=entity_id
            )
        )


def _gallery_value(
    catalog: Catalog, value_id: int, entity_id: int, store: str, label: str | None, position: int | None, disabled: int
) -> None:
    with catalog.engine.begin() as conn:
        conn.execute(
            insert(s.catalog_product_entity_media_gallery_value).values(
                value_id=value_id,
                entity_id=entity_id,
                store_id=catalog.store_id(store),
                label=label,
                position=position,
                disabled=disabled,
            )
        )


def _rows(catalog: Catalog, table: Any, *rows: dict[str, Any]) -> None:
    with catalog.engine.begin() as conn:
        conn.execute(insert(table), list(rows))


@pytest.fixture(scope="module", params=KIND_PARAMS)
def media_catalog(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    """A product with images (one disabled everywhere, one at the ``fr`` view only) and a video,
    a downloadable product with two samples, and a product linking to both and to a product of
    the second website; built once per module and database kind."""
    with temporary_database(request.param, tmp_path_factory.mktemp("media")) as url:
        yield _build_media_catalog(Catalog(url, websites=2))


def _build_media_catalog(catalog: Catalog) -> Catalog:
    catalog.add_store_view("fr", "base")
    media = catalog.add_product(
        "P-MEDIA",
        entity_id=10,
        values={
            "url_key": {"admin": "media-product"},
            "image": {"admin": "/a/b/front.jpg"},
            "small_image": {"admin": "/a/b/front.jpg", "fr": "/a/b/side.jpg"},
            "thumbnail": {"admin": "/a/b/front.jpg"},
            "image_label": {"admin": "Front view", "fr": "Vue de face"},
        },
    )
    _gallery(catalog, 1, media, "/a/b/front.jpg")
    _gallery_value(catalog, 1, media, "admin", "Front", 1, 0)
    _gallery(catalog, 2, media, "/a/b/old.jpg")
    _gallery_value(catalog, 2, media, "admin", "Old", 3, 1)
    _gallery(catalog, 3, media, "/a/b/side.jpg")
    _gallery_value(catalog, 3, media, "admin", None, 2, 0)
    _gallery_value(catalog, 3, media, "fr", "Côté", None, 1)
    _gallery(catalog, 4, media, "/y/t/preview.jpg", "external-video")
    _gallery_value(catalog, 4, media, "admin", "Video", 4, 0)
    video = s.catalog_product_entity_media_gallery_value_video
    _rows(
        catalog,
        video,
        {
            "value_id": 4,
            "store_id": 0,
            "provider": "youtube",
            "url": "https://www.youtube.com/watch?v=abc",
            "title": "How to",
            "description": "",
            "metadata": None,
        },
        {
            "value_id": 4,
            "store_id": catalog.store_id("fr"),
            "provider": None,
            "url": None,
            "title": "Mode d'emploi",
            "description": None,
            "metadata": None,
        },
    )
    downloadable = catalog.add_product(
        "P-DL",
        entity_id=20,
        type_id="downloadable",
        values={
            "links_exist": {"admin": 1},
            "links_purchased_separately": {"admin": 0},
            "samples_title": {"admin": "Samples", "fr": "Extraits"},
        },
    )
    _rows(
        catalog,
        s.downloadable_sample,
        {
            "sample_id": 7,
            "product_id": downloadable,
            "sample_type": "url",
            "sample_url": "https://x/a.pdf",
            "sort_order": 2,
        },
        {
            "sample_id": 8,
            "product_id": downloadable,
            "sample_type": "url",
            "sample_url": "https://x/b.pdf",
            "sort_order": 1,
        },
    )
    _rows(
        catalog,
        s.downloadable_sample_title,
        {"sample_id": 7, "store_id": 0, "title": "Chapter one"},
        {"sample_id": 7, "store_id": catalog.store_id("fr"), "title": "Chapitre un"},
        {"sample_id": 8, "store_id": 0, "title": "Table of contents"},
        {"sample_id": 8, "store_id": catalog.store_id("fr"), "title": None},
    )
    elsewhere = catalog.add_product("P-W2", entity_id=30, websites=("website_2",))
    linker = catalog.add_product("P-LINKER", entity_id=40, websites=("base", "website_2"))
    _rows(
        catalog,
        s.catalog_product_link,
        {"product_id": linker, "linked_product_id": downloadable, "link_type_id": 4},
        {"product_id": linker, "linked_product_id": media, "link_type_id": 1},
        {"product_id": linker, "linked_product_id": elsewhere, "link_type_id": 5},
        {"product_id": linker, "linked_product_id": media, "link_type_id": 3},  # grouped: not a link Adobe sends
    )
    _rows(
        catalog,
        s.url_rewrite,
        {
            "url_rewrite_id": 1,
            "entity_type": "product",
            "entity_id": media,
            "request_path": "media-product-old.html",
            "target_path": "media-product.html",
            "redirect_type": 301,
            "store_id": catalog.store_id("default"),
            "metadata": None,
        },
        {
            "url_rewrite_id": 2,
            "entity_type": "product",
            "entity_id": media,
            "request_path": "media-product.html",
            "target_path": f"catalog/product/view/id/{media}",
            "redirect_type": 0,
            "store_id": catalog.store_id("default"),
            "metadata": None,
        },
    )
    return catalog


@pytest.fixture(scope="module")
def hand_items(media_catalog: Catalog) -> dict[tuple[str, str], Item]:
    result = build_feed(PRODUCTS, media_catalog.url)
    assert result.failures == []
    return items_by_key(result.items)


def test_disabled_images_stay_with_hide_from_pdp(hand_items) -> None:
    # Given an image disabled at store 0 and one disabled at the fr view only
    default, fr = hand_items[("P-MEDIA", "default")], hand_items[("P-MEDIA", "fr")]
    # Then both stay in images, marked hide_from_pdp where disabled, ordered by position; no roles is null
    assert default["images"] == [
        {
            "resource": {
                "url": f"{MEDIA}/a/b/front.jpg",
                "label": "Front",
                "roles": ["image", "small_image", "thumbnail"],
            },
            "sortOrder": "1",
        },
        {"resource": {"url": f"{MEDIA}/a/b/side.jpg", "label": "", "roles": None}, "sortOrder": "2"},
        {"resource": {"url": f"{MEDIA}/a/b/old.jpg", "label": "Old", "roles": ["hide_from_pdp"]}, "sortOrder": "3"},
    ]
    # and at fr the store row's label and disabled flag win, its NULL position falls back to store 0
    assert fr["images"] == [
        {
            "resource": {"url": f"{MEDIA}/a/b/front.jpg", "label": "Front", "roles": ["image", "thumbnail"]},
            "sortOrder": "1",
        },
        {
            "resource": {"url": f"{MEDIA}/a/b/side.jpg", "label": "Côté", "roles": ["small_image", "hide_from_pdp"]},
            "sortOrder": "2",
        },
        {"resource": {"url": f"{MEDIA}/a/b/old.jpg", "label": "Old", "roles": ["hide_from_pdp"]}, "sortOrder": "3"},
    ]


def test_video_with_store_fallback_per_column(hand_items) -> None:
    # Given an external video with a store 0 row and a fr row that only renames it
    default, fr = hand_items[("P-MEDIA", "default")], hand_items[("P-MEDIA", "fr")]
    video = {
        "videoProvider": "youtube",
        "videoUrl": "https://www.youtube.com/watch?v=abc",
        "videoTitle": "How to",
        "videoDescription": None,
        "videoMetadata": None,
        "mediaType": "external-video",
    }
    # Then videos carries its preview image (no roles: null) and its video item, empty columns null
    assert default["videos"] == [
        {
            "preview": {"url": f"{MEDIA}/y/t/preview.jpg", "label": "Video", "roles": None},
            "video": video,
            "sortOrder": "4",
        }
    ]
    # and at fr each NULL column falls back to store 0
    assert fr["videos"][0]["video"] == {**video, "videoTitle": "Mode d'emploi"}
    # and the video is not an image
    assert [i["resource"]["url"] for i in default["images"]] == [
        f"{MEDIA}/a/b/front.jpg",
        f"{MEDIA}/a/b/side.jpg",
        f"{MEDIA}/a/b/old.jpg",
    ]


def test_deprecated_image_fields_and_media_gallery(hand_items) -> None:
    # Given role attributes and an image label that differ at the fr view
    default, fr = hand_items[("P-MEDIA", "default")], hand_items[("P-MEDIA", "fr")]
    # Then image, smallImage and thumbnail are {url, label}; only image has a label attribute set
    assert (default["image"], default["smallImage"], default["thumbnail"]) == (
        {"url": f"{MEDIA}/a/b/front.jpg", "label": "Front view"},
        {"url": f"{MEDIA}/a/b/front.jpg", "label": None},
        {"url": f"{MEDIA}/a/b/front.jpg", "label": None},
    )
    assert "swatchImage" not in default
    assert (fr["image"], fr["smallImage"]) == (
        {"url": f"{MEDIA}/a/b/front.jpg", "label": "Vue de face"},
        {"url": f"{MEDIA}/a/b/side.jpg", "label": None},
    )
    # and media_gallery lists images and videos alike, disabled ones without a mark; only the video has
    # video_attributes, and no roles is null
    assert [(m["url"], m["types"], m["sort_order"], "video_attributes" in m) for m in default["media_gallery"]] == [
        (f"{MEDIA}/a/b/front.jpg", ["image", "small_image", "thumbnail"], 1, False),
        (f"{MEDIA}/a/b/side.jpg", None, 2, False),
        (f"{MEDIA}/a/b/old.jpg", None, 3, False),
        (f"{MEDIA}/y/t/preview.jpg", None, 4, True),
    ]


def test_downloadable_samples_and_flags(hand_items) -> None:
    # Given a downloadable product with two samples and its flags
    default, fr = hand_items[("P-DL", "default")], hand_items[("P-DL", "fr")]
    # Then samples are ordered by sort_order, with the download URL and the title at the view
    assert default["samples"] == [
        {
            "resource": {
                "url": f"{BASE}downloadable/download/sample/sample_id/8",
                "label": "Table of contents",
                "roles": None,
            },
            "sortOrder": "1",
        },
        {
            "resource": {
                "url": f"{BASE}downloadable/download/sample/sample_id/7",
                "label": "Chapter one",
                "roles": None,
            },
            "sortOrder": "2",
        },
    ]
    # and at fr a store title wins, a NULL one falls back to store 0
    assert [sample["resource"]["label"] for sample in fr["samples"]] == ["Table of contents", "Chapitre un"]
    # and the flags come from the product's attributes at the view
    assert (default["linksExist"], default["linksPurchasedSeparately"], default["samplesTitle"]) == (
        True,
        False,
        "Samples",
    )
    assert fr["samplesTitle"] == "Extraits"
    # and a product that is not downloadable has none of them: samples, provided, is null; the flags are left out
    media = hand_items[("P-MEDIA", "default")]
    assert media["samples"] is None
    assert {"linksExist", "linksPurchasedSeparately", "samplesTitle"} & media.keys() == set()


def test_links_only_to_products_of_the_view_website(hand_items) -> None:
    # Given links to products of the first website, to one of the second only, and a grouped link
    # Then each view lists the links whose target is on its website, by type then sku
    assert hand_items[("P-LINKER", "default")]["links"] == [
        {"sku": "P-MEDIA", "type": "related"},
        {"sku": "P-DL", "type": "upsell"},
    ]
    assert hand_items[("P-LINKER", "store_view_2")]["links"] == [{"sku": "P-W2", "type": "crosssell"}]


def test_url_rewrites_with_redirects_and_fallback(hand_items) -> None:
    # Given a product with a canonical rewrite and a permanent redirect at the default view only
    default, fr = hand_items[("P-MEDIA", "default")], hand_items[("P-MEDIA", "fr")]
    # Then url is the canonical one; the redirect is a rewrite without parameters (null)
    assert default["url"] == f"{BASE}media-product.html"
    assert default["urlRewrites"] == [
        {"url": f"{BASE}media-product-old.html", "parameters": None},
        {"url": f"{BASE}media-product.html", "parameters": [{"name": "id", "value": "10"}]},
    ]
    # and at fr, without rewrites, url is the product route with the url key and urlRewrites is null
    assert (fr["url"], fr["urlRewrites"]) == (f"{BASE}catalog/product/view/id/10/s/media-product/", None)
