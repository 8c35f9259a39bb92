"""The categories feed: category × store view under the view's root category."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert

from exporters.feeds import CATEGORIES
from exporters.source import schema as s
from tests.support.catalog import CREATED, UPDATED, Catalog
from tests.support.feeds import build_feed
from tests.support.hand_catalog import HandBuilt
from tests.support.items import without


def build(url: str):
    return build_feed(CATEGORIES, url)


def by_key(items: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(i["categoryId"], i["storeViewCode"]): without(i, "modifiedAt") for i in items}


def test_a_category_at_each_view_of_its_root(hand_catalog: HandBuilt) -> None:
    # Given category 10 ("gear", "equipement" in fr) with child 11 under Default Category (2)
    # When the categories feed is built
    result = build(hand_catalog.url)
    assert result.failures == []
    items = by_key(result.items)
    common = {
        "categoryId": "10", "storeCode": "main_website_store", "websiteCode": "base", "level": 2,
        "path": "1/2/10", "parentId": "2", "children": ["11"], "position": 1,
        "createdAt": "2024-04-25 14:01:25", "updatedAt": "2024-05-02 09:30:00", "deleted": False,
        "image": None, "defaultSortBy": None, "availableSortBy": None,
    }  # fmt: skip
    # (its EAV values are all unset: plain fields are left out, provided ones are null, as Adobe sends)
    # Then each view of the root's group sees its own url path
    assert items[("10", "default")] == {**common, "storeViewCode": "default", "urlPath": "gear"}
    assert items[("10", "fr")] == {**common, "storeViewCode": "fr", "urlPath": "equipement"}
    # and the second website's group (same root, 2) has it too; the root catalog (1) has no item
    assert items[("10", "store_view_2")]["websiteCode"] == "website_2"
    assert not any(key[0] == "1" for key in items)


def test_category_eav_resolves_like_products(make_db) -> None:
    # Given a category named at store 0, NULL-overridden at one view, with flags and sort options
    catalog = Catalog(make_db("sqlite"))
    catalog.add_store_view("fr", "base")
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.catalog_category_entity).values(
            entity_id=20, attribute_set_id=3, parent_id=2, created_at=CREATED, updated_at=UPDATED, path="1/2/20",
            position=4, level=2, children_count=0))  # fmt: skip
    values: dict[str, dict[str, Any]] = {
        "name": {"admin": "Shoes", "fr": None},
        "is_active": {"admin": 1},
        "is_anchor": {"admin": 1, "fr": 0},  # global: the store row is ignored
        "available_sort_by": {"admin": "name,price"},
    }
    for code, per_store in values.items():
        attribute_id, backend_type = catalog.attribute(code, entity_type_id=3)
        with catalog.engine.begin() as conn:
            for store, value in per_store.items():
                row = {
                    "entity_id": 20,
                    "attribute_id": attribute_id,
                    "store_id": catalog.store_id(store),
                    "value": value,
                }
                conn.execute(insert(s.category_values[backend_type]).values(**row))
    # When the categories feed is built
    items = by_key(build(catalog.url).items)
    # Then the store-view NULL wins (a null name is left out), the global flag ignores its store row
    assert (items[("20", "default")]["name"], "name" in items[("20", "fr")]) == ("Shoes", False)
    # and the flags are integers as stored (Adobe's Int), left out where no value is set
    flags = {k: items[("20", "fr")][k] for k in ("isAnchor", "includeInMenu", "isActive") if k in items[("20", "fr")]}
    assert json.dumps(flags) == '{"isAnchor": 1, "isActive": 1}'
    # and the sort options are a list
    assert items[("20", "default")]["availableSortBy"] == ["name", "price"]


def test_a_category_whose_parent_is_gone_fails_alone(make_db) -> None:
    # Given category 30 under the default category and 31 under a category 99 that does not exist
    catalog = Catalog(make_db("sqlite"))
    with catalog.engine.begin() as conn:
        rows = [
            {"entity_id": 30, "parent_id": 2, "path": "1/2/30", "level": 2},
            {"entity_id": 31, "parent_id": 99, "path": "1/2/99/31", "level": 3},
        ]
        common = {
            "attribute_set_id": 3,
            "created_at": CREATED,
            "updated_at": UPDATED,
            "position": 1,
            "children_count": 0,
        }
        conn.execute(insert(s.catalog_category_entity), [{**common, **row} for row in rows])
    # When the categories feed is built
    result = build(catalog.url)
    # Then 31 alone is a failure naming its missing parent
    assert sorted(i["categoryId"] for i in result.items) == ["2", "30"]
    assert [(f.source_id, f.error) for f in result.failures] == [
        (31, "category 31 has parent 99, which does not exist")
    ]


def test_the_luma_categories(luma_url: str) -> None:
    # Given the real Luma database; when its categories feed is built
    result = build(luma_url)
    # Then it has 39 items and no failure, "Bags" among them as the storefront shows it
    assert (len(result.items), result.failures) == (39, [])
    bags = by_key(result.items)[("4", "default")]
    assert (bags["name"], bags["urlPath"], bags["parentId"], bags["level"], bags["isActive"]) == (
        "Bags", "gear/bags", "3", 3, 1,
    )  # fmt: skip
    assert type(bags["isActive"]) is int
