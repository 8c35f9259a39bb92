"""Presence: null fields and empty lists as Adobe's Transformer writes them."""

from __future__ import annotations

import copy
from typing import Any

from exporters.feeds import PRODUCTS
from exporters.feeds.presence import RECORDS, Record, present
from exporters.feeds.registry import FEEDS
from exporters.source import MagentoSource


def test_a_plain_null_field_of_the_record_is_left_out_and_an_empty_list_is_null() -> None:
    # Given a categories item with a null name, no children and no sort options
    item: dict[str, Any] = {"categoryId": "5", "name": None, "description": "d", "isAnchor": None,
                            "children": [], "availableSortBy": [], "image": None, "path": "1/2/5",
                            "deleted": False}  # fmt: skip
    # When presence is applied
    out = present(item, RECORDS["categories"])
    # Then the plain nulls are gone; the provided fields stay, null when empty
    assert out == {"categoryId": "5", "description": "d", "children": None, "availableSortBy": None,
                   "image": None, "path": "1/2/5", "deleted": False}  # fmt: skip


def test_an_empty_plain_list_stays_as_null_and_a_full_one_is_kept() -> None:
    # Given a prices item without discounts, with one tier price and no parents
    item = {"sku": "T", "parents": [], "discounts": [], "tierPrices": [{"qty": 5.0, "price": 18.0}],
            "updatedAt": "2026-12-02T01:00:00+00:00", "deleted": False}  # fmt: skip
    # When presence is applied, then the empty lists are null (the key stays), the full one is kept
    assert present(item, RECORDS["prices"]) == {
        "sku": "T", "parents": None, "discounts": None, "tierPrices": [{"qty": 5.0, "price": 18.0}],
        "updatedAt": "2026-12-02T01:00:00+00:00", "deleted": False,
    }  # fmt: skip


def test_a_nested_record_keeps_its_nulls_unless_it_skips_them() -> None:
    # Given a variant whose option has no label, and a price whose discount and tier carry a null
    variant = {"id": "v", "optionValues": [{"attributeCode": "size", "uid": "u", "label": None, "valueIndex": "1"}]}
    price = {"discounts": [{"code": "group", "price": None, "percentage": 10.0}],
             "tierPrices": [{"qty": 2.0, "price": 9.0, "percentage": None}]}  # fmt: skip
    # When presence is applied
    # Then the variant's option keeps "label": null (VariantOption does not skip nulls)
    assert present(variant, RECORDS["variants"])["optionValues"] == [
        {"attributeCode": "size", "uid": "u", "label": None, "valueIndex": "1"}
    ]
    # and the price's DiscountPrice and TierPrice (skipNull) leave theirs out
    assert present(price, RECORDS["prices"]) == {
        "discounts": [{"code": "group", "percentage": 10.0}],
        "tierPrices": [{"qty": 2.0, "price": 9.0}],
    }


def test_a_skip_null_record_with_nothing_left_is_null() -> None:
    # Given a categoryPermissions item whose permission holds no grant at all
    item = {"id": {"websiteCode": "base", "customerGroupCode": "FALLBACK_CUSTOMER_GROUP", "categoryId": "3"},
            "type": "STANDARD", "permission": {"DISPLAYED": None}, "deleted": True}  # fmt: skip
    # When presence is applied, then the permission is null, as Adobe sends a deleted permission
    assert present(item, RECORDS["categoryPermissions"])["permission"] is None


def test_the_rows_of_a_provided_field_leave_their_nulls_out_and_keep_nested_ones() -> None:
    # Given a products item whose attribute row has no valueId and whose option value has no swatch
    item = {"sku": "S", "attributes": [{"attributeCode": "color", "value": ["Red"], "valueId": None}],
            "optionsV2": [{"id": "o", "values": [{"id": "v", "colorHex": None}], "renderType": None}],
            "videos": [], "description": None}  # fmt: skip
    # When presence is applied
    out = present(item, RECORDS["products"])
    # Then the provided rows (convertComplexRow) leave out their null fields, the nested records
    # inside them (cast in place) keep theirs, and an empty provided field is null
    assert out == {
        "sku": "S",
        "attributes": [{"attributeCode": "color", "value": ["Red"]}],
        "optionsV2": [{"id": "o", "values": [{"id": "v", "colorHex": None}]}],
        "videos": None,
    }


def test_provided_fields_nest_as_adobe_declares_them() -> None:
    # Given an order whose item has a null product type and whose payment address has no street lines
    address: dict[str, Any] = {"city": None, "multiLineStreet": []}
    item: dict[str, Any] = {"commerceOrderId": "1", "externalId": None, "couponCode": None,
                            "items": [{"itemId": {"id": "u"}, "productType": None, "additionalInformation": []}],
                            "payment": {"paymentMethodCode": "checkmo", "billingAddress": address}}  # fmt: skip
    # When presence is applied
    out = present(item, RECORDS["orders"])
    # Then each level follows its own rule: provided null stays, plain null goes, provided empty is null
    assert out == {
        "commerceOrderId": "1",
        "externalId": None,
        "items": [{"itemId": {"id": "u"}, "additionalInformation": None}],
        "payment": {"paymentMethodCode": "checkmo", "billingAddress": {"multiLineStreet": None}},
    }


def test_lists_of_lists_and_scalars_are_cast_in_place() -> None:
    # Given a plain field holding an empty inner list beside a full one, and a record holding an empty list
    item = {"matrix": [[], [1]], "meta": {"tags": [], "note": None}}
    # When presence is applied with a plain record
    out = present(item, Record())
    # Then every empty list is null, at any depth, and nested nulls stay
    assert out == {"matrix": [None, [1]], "meta": {"tags": None, "note": None}}


def test_the_item_given_is_not_changed() -> None:
    # Given an item with nulls and empty lists at several depths
    item: dict[str, Any] = {"a": None, "b": [], "c": {"d": [], "e": None}, "discounts": [{"price": None, "code": "x"}]}
    before = copy.deepcopy(item)
    # When presence is applied
    present(item, RECORDS["prices"])
    # Then the item is as it was
    assert item == before


def test_every_feed_has_its_record() -> None:
    # Given the registry's feeds, then each one has a presence record, and only they
    assert sorted(FEEDS) == sorted(RECORDS)


def test_a_row_shared_by_items_is_walked_once_and_a_row_with_nothing_to_change_is_kept() -> None:
    # Given two products items sharing one attribute entry that has an empty valueId list, and a
    # category entry with nothing to change
    shared = {"attributeCode": "color", "value": ["Red"], "valueId": []}
    category = {"categoryId": "3", "categoryPath": "gear", "productPosition": 1}
    items = [{"sku": s, "attributes": [shared], "categoryData": [category], "optionsV2": []} for s in "AB"]
    # When presence is applied to both within one build
    seen: dict[tuple[int, int], Any] = {}
    first, second = (present(item, RECORDS["products"], seen) for item in items)
    # Then the empty list is null in both, from one converted row, and the settled row is the builder's own
    assert first["attributes"] == [{"attributeCode": "color", "value": ["Red"], "valueId": None}]
    assert first["attributes"][0] is second["attributes"][0]
    assert first["categoryData"][0] is category
    assert first["optionsV2"] is None
    # and the builder's rows are untouched
    assert shared == {"attributeCode": "color", "value": ["Red"], "valueId": []}


def test_a_feed_builds_its_items_with_presence_applied(small_catalog: Any) -> None:
    # Given a catalog whose first product has no description and no category
    # When the products feed is built through its spec (as a chunk does) and by its bare builder
    source = MagentoSource(small_catalog.url)
    raw = PRODUCTS.builder(source, 10, 10).items[0]
    built = PRODUCTS.build(source, 10, 10).items[0]
    # Then the builder's record carries the null, and what is hashed, stored and sent leaves it out
    assert raw["description"] is None
    assert "description" not in built
    # and its empty category list is null
    assert (raw["categoryData"], built["categoryData"]) == ([], None)
