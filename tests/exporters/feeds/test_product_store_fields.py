"""The products feed's store fields (displayable, buyable, lowStock, currency, weightUnit, priceView,
weightType, categories) and the Adobe names of ``taxClassId`` and fixed bundles' ``type``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, insert, update

from exporters.feeds import PRODUCTS
from exporters.feeds.product_parts.store_fields import is_low_stock
from exporters.model import Item
from exporters.sample_data import generate
from exporters.source import MagentoSource
from exporters.source import schema as s
from tests.support.catalog import Catalog
from tests.support.feeds import build_feed
from tests.support.items import items_by_key, without

#: The fields this module is about, in the order the tests list them.
FIELDS = (
    "type",
    "taxClassId",
    "displayable",
    "buyable",
    "lowStock",
    "currency",
    "weightUnit",
    "priceView",
    "weightType",
    "categories",
)


def fields(item: Item) -> dict[str, Any]:
    """The module's fields the item carries: a field Adobe leaves out is missing here too."""
    return {name: item[name] for name in FIELDS if name in item}


# --- the Luma database -------------------------------------------------------------------------------
def test_luma_simple_product(luma_items) -> None:
    # Given 24-MB01, enabled, visible, 100 in stock, with no weight and no tax_class_id row
    # When the feed is built
    item = luma_items[("24-MB01", "default")]
    # Then Adobe's formatter names the missing tax class "no", and the default config applies
    assert fields(item) == {
        "type": "simple",
        "taxClassId": "no",
        "displayable": True,
        "buyable": True,
        "lowStock": False,  # no threshold configured: Magento's 0
        "currency": "USD",
        "weightUnit": None,  # no weight, no unit; provided, so null rather than left out
        # priceView and weightType, null for a simple product, are left out
        "categories": ["gear", "gear/bags"],
    }


def test_luma_variant_has_its_tax_class_name_and_weight_unit(luma_items) -> None:
    # Given a hoodie variant: not visible individually, 1 lbs, tax class 2
    item = luma_items[("MH01-XS-Black", "default")]
    # Then it is buyable but not displayable, weighs in Magento's default unit, and names its class
    assert without(fields(item), "categories") == {
        "type": "simple",
        "taxClassId": "Taxable Goods",
        "displayable": False,
        "buyable": True,
        "lowStock": False,
        "currency": "USD",
        "weightUnit": "lbs",
    }


def test_luma_dynamic_bundle(luma_items) -> None:
    # Given the sprite yoga companion kit, a bundle with dynamic price and weight
    item = luma_items[("24-WG080", "default")]
    # Then its type stays "bundle", with the price range view and the stored weight type
    assert (item["type"], item["priceView"], item["weightType"], item["taxClassId"]) == (
        "bundle",
        "price_range",
        "0",
        "Taxable Goods",
    )


# --- a hand-built catalog -------------------------------------------------------------------------------
def _config(catalog: Catalog, rows: list[tuple[str, int, str, str]]) -> None:
    with catalog.engine.begin() as conn:
        for scope, scope_id, path, value in rows:
            conn.execute(insert(s.core_config_data).values(scope=scope, scope_id=scope_id, path=path, value=value))


def _quantity(catalog: Catalog, entity_id: int, qty: str | None) -> None:
    stock = s.cataloginventory_stock_status
    with catalog.engine.begin() as conn:
        if qty is None:
            conn.execute(delete(stock).where(stock.c.product_id == entity_id))
        else:
            conn.execute(update(stock).where(stock.c.product_id == entity_id).values(qty=Decimal(qty)))


@pytest.fixture
def catalog(make_db) -> Catalog:
    """Two websites: ``base`` in dollars and pounds, ``website_2`` in euros, kilograms at its view;
    a low-stock threshold of 5; one product per case."""
    catalog = Catalog(make_db("sqlite"), websites=2)
    store_view_2 = catalog.store_id("store_view_2")
    _config(
        catalog,
        [
            ("default", 0, "cataloginventory/options/stock_threshold_qty", "5"),
            ("websites", catalog.website_id("website_2"), "currency/options/base", "EUR"),
            ("stores", store_view_2, "general/locale/weight_unit", "kgs"),
        ],
    )
    catalog.add_category(10, "1/2", {"admin": "gear"})
    catalog.add_category(12, "1/2", {})  # no url_path: categoryData's path is null
    both = ("base", "website_2")
    catalog.add_product(
        "OK",
        entity_id=1,
        websites=both,
        values={"weight": {"admin": 1.5}, "tax_class_id": {"admin": 2}},
        categories={10: 1, 12: 2},
    )
    catalog.add_product("OUT", entity_id=2, in_stock=False)
    catalog.add_product("OFF", entity_id=3, values={"status": {"admin": 2}})
    catalog.add_product("HIDDEN", entity_id=4, values={"visibility": {"admin": 1}})
    catalog.add_product("SEARCH", entity_id=5, values={"visibility": {"admin": 3}})
    catalog.add_product("LOW", entity_id=6)
    _quantity(catalog, 6, "4.9999")
    catalog.add_product("AT", entity_id=7)
    _quantity(catalog, 7, "5")
    catalog.add_product("NOROW", entity_id=8)
    _quantity(catalog, 8, None)
    catalog.add_product("TAX0", entity_id=9, values={"tax_class_id": {"admin": 0}})
    catalog.add_product("TAX99", entity_id=11, values={"tax_class_id": {"admin": 99}})
    bundle = {"price_type": 1, "weight_type": 1, "price_view": 1}
    catalog.add_product(
        "B-FIXED",
        entity_id=20,
        type_id="bundle",
        values={code: {"admin": value} for code, value in bundle.items()} | {"weight": {"admin": 3}},
    )
    catalog.add_product("B-DYN", entity_id=21, type_id="bundle", values={code: {"admin": 0} for code in bundle})
    # a stray store row of the global price_type: Adobe's query reads every store's rows
    catalog.add_product(
        "B-STRAY",
        entity_id=22,
        type_id="bundle",
        values={"price_type": {"admin": 0, "default": 1}, "price_view": {"admin": 7}},
    )
    return catalog


@pytest.fixture
def items(catalog: Catalog) -> dict[tuple[str, str], Item]:
    result = build_feed(PRODUCTS, catalog.url, 1, 1000)
    assert result.failures == []
    return items_by_key(result.items)


def test_each_website_has_its_currency_and_each_view_its_weight_unit(items) -> None:
    # Given OK on both websites, 1.5 in weight, tax class 2, in category "gear" and one without a path
    base, other = items[("OK", "default")], items[("OK", "store_view_2")]
    # Then the website's currency and the view's weight unit apply; the rest is the same
    common = {
        "type": "simple",
        "taxClassId": "Taxable Goods",
        "displayable": True,
        "buyable": True,
        "lowStock": False,
        "categories": ["gear", ""],  # Adobe's transformer casts the null path to ""
    }
    assert fields(base) == {**common, "currency": "USD", "weightUnit": "lbs"}
    assert fields(other) == {**common, "currency": "EUR", "weightUnit": "kgs"}


@pytest.mark.parametrize(
    ("sku", "displayable", "buyable", "low_stock"),
    [
        ("OUT", True, False, True),  # out of stock: not buyable; qty 0 is below 5
        ("OFF", False, False, False),  # disabled: neither
        ("HIDDEN", False, True, False),  # not visible individually: buyable, not displayable
        ("SEARCH", True, True, False),  # search only is displayable
        ("LOW", True, True, True),  # 4.9999 < 5
        ("AT", True, True, False),  # exactly at the threshold is not low
        ("NOROW", True, False, True),  # no stock row: out of stock, and PHP's null < 5 is true
    ],
)
def test_displayable_buyable_and_low_stock(items, sku: str, displayable: bool, buyable: bool, low_stock: bool) -> None:
    # When the feed is built; then the three flags follow Adobe's rules
    item = items[(sku, "default")]
    assert (item["displayable"], item["buyable"], item["lowStock"]) == (displayable, buyable, low_stock)


def test_a_tax_class_without_a_name_is_no(items) -> None:
    # Given products with tax class 0 ("None") and 99 (no such class); then both are "no"
    assert (items[("TAX0", "default")]["taxClassId"], items[("TAX99", "default")]["taxClassId"]) == ("no", "no")


def test_bundles_fixed_and_dynamic(items) -> None:
    # Given a fixed bundle, a dynamic one, and one fixed only by a stray store row with an unknown price view
    fixed, dynamic, stray = (items[(sku, "default")] for sku in ("B-FIXED", "B-DYN", "B-STRAY"))
    # Then the types, price views and weight types are Adobe's
    assert (fixed["type"], fixed["priceView"], fixed["weightType"], fixed["weightUnit"]) == (
        "bundle_fixed",
        "as_low_as",
        "1",
        "lbs",
    )
    assert (dynamic["type"], dynamic["priceView"], dynamic["weightType"], dynamic["weightUnit"]) == (
        "bundle",
        "price_range",
        "0",
        None,
    )
    assert stray["type"] == "bundle_fixed"
    assert {"priceView", "weightType"} & stray.keys() == set()


def test_a_quantity_change_alone_rebuilds_the_product(catalog: Catalog) -> None:
    # Given LOW built once, with its fingerprint settled
    source = MagentoSource(catalog.url)
    first = PRODUCTS.builder(source, 6, 6)
    # When only its quantity changes (still in stock) and the feed is built again with that fingerprint
    _quantity(catalog, 6, "50")
    second = PRODUCTS.builder(MagentoSource(catalog.url), 6, 6, first.source_hashes)
    # Then the product is rebuilt, no longer low in stock
    assert second.skipped == set()
    assert [item["lowStock"] for item in second.items] == [False]


def test_a_configuration_change_rebuilds_every_product(catalog: Catalog) -> None:
    # Given OK built once
    first = PRODUCTS.builder(MagentoSource(catalog.url), 1, 1)
    # When the default weight unit becomes kilograms
    _config(catalog, [("default", 0, "general/locale/weight_unit", "kgs")])
    second = PRODUCTS.builder(MagentoSource(catalog.url), 1, 1, first.source_hashes)
    # Then it is rebuilt with the new unit at the view that has none of its own
    assert second.skipped == set()
    assert {item["storeViewCode"]: item["weightUnit"] for item in second.items} == {
        "default": "kgs",
        "store_view_2": "kgs",
    }


@pytest.mark.parametrize(
    ("quantity", "threshold", "low"),
    [(Decimal("0"), 0.0, False), (Decimal("-1"), 0.0, True), (None, 0.0, False), (None, 5.0, True)],
)
def test_low_stock_compares_as_php_does(quantity: Decimal | None, threshold: float, low: bool) -> None:
    assert is_low_stock(quantity, threshold) is low


# --- the sample catalog ---------------------------------------------------------------------------------
def test_the_sample_catalog_exercises_the_store_fields(make_db) -> None:
    # Given a small sample catalog on two websites
    url = make_db("sqlite")
    generate(url, "small", products=200, websites=2)
    # When its products feed is built
    result = build_feed(PRODUCTS, url)
    assert result.failures == []
    items = items_by_key(result.items)
    # Then website 2 sells in euros and weighs in kilograms, website 1 in dollars and pounds
    assert {(i["websiteCode"], i["currency"]) for i in result.items} == {("base", "USD"), ("website_2", "EUR")}
    assert {(i["websiteCode"], i["weightUnit"]) for i in result.items if "weight" in i} == {
        ("base", "lbs"),
        ("website_2", "kgs"),
    }
    # and it has one fixed and two dynamic bundles
    bundles = {
        (sku, i["type"], i["priceView"], i["weightType"])
        for (sku, view), i in items.items()
        if sku.startswith("bundle")
    }
    assert bundles == {
        ("bundle_product_50", "bundle", "price_range", "0"),
        ("bundle_product_100", "bundle_fixed", "as_low_as", "1"),
        ("bundle_product_150", "bundle", "price_range", "0"),
    }
    # and products below the threshold of 5 are low in stock, at it not
    assert {i["lowStock"] for (sku, _), i in items.items() if sku == "product_dynamic_20"} == {True}  # 2 units
    assert {i["lowStock"] for (sku, _), i in items.items() if sku == "product_dynamic_80"} == {False}  # 5 units
    assert {i["taxClassId"] for i in result.items} == {"Taxable Goods", "no"}
