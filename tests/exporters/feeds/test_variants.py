"""The variants feed: configurable parent × child, on the hand-built catalog and on Luma."""

from __future__ import annotations

import base64
import hashlib

from sqlalchemy import insert

from exporters.feeds import VARIANTS, item_error
from exporters.model import SendResult
from exporters.runs import MAX_ID, collect
from exporters.source import MagentoSource
from exporters.source import schema as s
from tests.support.catalog import Catalog
from tests.support.feeds import build_feed, new_feed_store
from tests.support.hand_catalog import HandBuilt
from tests.support.items import without


def build(url: str):
    return build_feed(VARIANTS, url)


def test_each_child_of_a_configurable_is_one_exact_item(hand_catalog: HandBuilt) -> None:
    # Given CFG (80) with CFG-RED (81) and CFG-BLUE (82) on the select attribute "shade"
    # When the variants feed is built
    result = build(hand_catalog.url)
    red, blue = hand_catalog.options["red"], hand_catalog.options["blue"]
    shade, _ = hand_catalog.catalog.attribute("shade")
    # Then there is one item per child, labelled at store 0, with Magento's id and uid encodings
    assert result.failures == []
    items = sorted((without(i, "modifiedAt") for i in result.items), key=lambda i: i["id"])
    expected = [
        {
            "id": hashlib.md5(f"configurable/CFG/{sku}".encode()).hexdigest(),
            "optionValues": [
                {
                    "attributeCode": "shade",
                    "uid": base64.b64encode(f"configurable/{shade}/{option}".encode()).decode(),
                    "label": label,
                    "valueIndex": str(option),
                }
            ],
            "parentId": "80",
            "productId": str(child),
            "parentSku": "CFG",
            "productSku": sku,
            "deleted": False,
        }
        for sku, child, option, label in (("CFG-RED", 81, red, "Red"), ("CFG-BLUE", 82, blue, "Blue"))
    ]
    assert items == sorted(expected, key=lambda i: str(i["id"]))


def test_orphans_fail_only_their_item(make_db) -> None:
    # Given a configurable with one good child, a link to a deleted product and a child without value
    catalog = Catalog(make_db("sqlite"))
    _, (red,) = catalog.add_attribute("shade", options=[{"admin": "Red"}])
    catalog.add_product("P", entity_id=1, type_id="configurable")
    catalog.add_product("P-RED", entity_id=2, values={"shade": {"admin": red}})
    catalog.add_product("P-NONE", entity_id=3)
    catalog.link_configurable(1, [2, 3], ["shade"])
    with catalog.engine.begin() as conn:
        conn.execute(insert(s.catalog_product_super_link).values(product_id=999, parent_id=1))
    # When the feed is built
    result = build(catalog.url)
    # Then the good child is an item and each orphan a failure with its reason
    assert [i["productSku"] for i in result.items] == ["P-RED"]
    assert sorted((f.source_id, f.error) for f in result.failures) == [
        (1, "configurable P links to product 999, which does not exist"),
        (1, "variant P-NONE of P has no value for shade"),
    ]


def test_an_unlinked_child_becomes_a_tombstone(hand_catalog: HandBuilt, make_db) -> None:
    # Given the hand-built catalog's two variants collected and accepted
    store = new_feed_store(make_db("sqlite"), VARIANTS)
    first = collect(MagentoSource(hand_catalog.url), store, 0, MAX_ID)
    assert sorted(p.item["productSku"] for p in first.to_send) == ["CFG-BLUE", "CFG-RED"]
    store.record(SendResult(p.feed_id, 200) for p in first.to_send)
    # When a second catalog without CFG-BLUE's link is collected into the same feed table
    copy = Catalog(make_db("sqlite"))
    _, (red, _blue) = copy.add_attribute("shade", options=[{"admin": "Red"}, {"admin": "Blue"}])
    copy.add_product("CFG", entity_id=80, type_id="configurable")
    copy.add_product("CFG-RED", entity_id=81, values={"shade": {"admin": red}})
    copy.link_configurable(80, [81], ["shade"])
    changes = collect(MagentoSource(copy.url), store, 0, MAX_ID)
    # Then CFG-BLUE's item vanished and is sent as a tombstone
    assert [(p.item["productSku"], p.item["deleted"]) for p in changes.to_send if p.item["deleted"]] == [
        ("CFG-BLUE", True)
    ]


def test_the_luma_variants(luma_url: str) -> None:
    # Given the real Luma database; when its variants feed is built
    result = build(luma_url)
    # Then it has 1847 valid items, MH01-XS-Black exactly as Luma links it
    assert (len(result.items), result.failures) == (1847, [])
    assert all(item_error(VARIANTS, item) is None for item in result.items)
    item = next(i for i in result.items if i["productSku"] == "MH01-XS-Black")
    assert without(item, "modifiedAt") == {
        "id": hashlib.md5(b"configurable/MH01/MH01-XS-Black").hexdigest(),
        "optionValues": [
            {"attributeCode": "color", "uid": "Y29uZmlndXJhYmxlLzkzLzQ5", "label": "Black", "valueIndex": "49"},
            {"attributeCode": "size", "uid": "Y29uZmlndXJhYmxlLzE0NC8xNjY=", "label": "XS", "valueIndex": "166"},
        ],
        "parentId": "62",
        "productId": "47",
        "parentSku": "MH01",
        "productSku": "MH01-XS-Black",
        "deleted": False,
    }
    assert sum(1 for i in result.items if i["parentSku"] == "MH01") == 15
