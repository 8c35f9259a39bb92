"""The productAttributes feed: one item per product attribute × store view."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select

from exporters.feeds import PRODUCT_ATTRIBUTES
from exporters.source import schema as s
from tests.support.feeds import build_feed
from tests.support.hand_catalog import HandBuilt
from tests.support.items import without


def build(url: str) -> dict[tuple[str, str], dict[str, Any]]:
    result = build_feed(PRODUCT_ATTRIBUTES, url)
    assert result.failures == []
    return {(i["attributeCode"], i["storeViewCode"]): i for i in result.items}


def test_a_user_multiselect_attribute_with_a_store_label(hand_catalog: HandBuilt) -> None:
    # Given "fabric" (multiselect, user-defined) with a French store label
    catalog = hand_catalog.catalog
    fabric, _ = catalog.attribute("fabric")
    with catalog.engine.begin() as conn:
        if (
            conn.execute(select(s.eav_attribute_label).where(s.eav_attribute_label.c.attribute_id == fabric)).first()
            is None
        ):
            conn.execute(
                insert(s.eav_attribute_label).values(
                    attribute_id=fabric, store_id=catalog.store_id("fr"), value="Tissu"
                )
            )
    # When the productAttributes feed is built
    items = build(catalog.url)
    common = {
        "id": str(fabric), "attributeCode": "fabric", "attributeType": "catalog_product", "dataType": "text",
        "multi": True, "frontendInput": "multiselect", "required": False, "unique": False, "global": False,
        "visible": True, "searchable": False, "filterable": False, "visibleInCompareList": False,
        "visibleInListing": False, "sortable": False, "visibleInSearch": False, "filterableInSearch": False,
        "usedForRules": False, "searchWeight": 1.0, "boolean": False, "systemAttribute": False, "numeric": False,
        "deleted": False,
    }  # fmt: skip
    # Then each store view has its item, labelled at the store view or with the frontend label
    assert without(items[("fabric", "fr")], "modifiedAt") == {
        **common,
        "label": "Tissu",
        "storeViewCode": "fr",
        "storeCode": "main_website_store",
        "websiteCode": "base",
    }
    assert items[("fabric", "default")]["label"] == "Fabric"
    assert items[("fabric", "store_view_2")]["websiteCode"] == "website_2"


def test_system_attributes_are_flagged(hand_catalog: HandBuilt) -> None:
    # Given the hand-built catalog; when its productAttributes feed is built
    items = build(hand_catalog.url)
    # Then Magento's own attributes are flagged as system ones, with their types and scopes
    name, weight, sku = items[("name", "default")], items[("weight", "default")], items[("sku", "default")]
    assert (name["systemAttribute"], name["global"], name["dataType"], name["numeric"]) == (
        True,
        False,
        "varchar",
        False,
    )
    assert (weight["global"], weight["numeric"]) == (True, True)
    assert (sku["dataType"], sku["global"]) == ("static", True)
    # one item per product attribute and storefront view (three views here)
    with hand_catalog.catalog.engine.connect() as conn:
        attributes = conn.execute(
            select(func.count()).select_from(s.eav_attribute).where(s.eav_attribute.c.entity_type_id == 4)
        ).scalar_one()
    assert len(items) == 3 * attributes


def test_the_luma_attributes(luma_url: str) -> None:
    # Given the real Luma database; when its productAttributes feed is built
    items = build(luma_url)
    # Then it has 81 items, each attribute as Luma defines it
    assert len(items) == 81
    color = items[("color", "default")]
    assert (color["id"], color["label"], color["frontendInput"], color["filterable"], color["systemAttribute"]) == (
        "93", "Color", "select", True, False,
    )  # fmt: skip
    assert items[("climate", "default")]["multi"] is True
    assert items[("eco_collection", "default")]["boolean"] is True
    assert items[("price", "default")]["numeric"] is True
