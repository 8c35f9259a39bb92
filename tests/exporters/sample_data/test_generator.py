"""The sample catalog generator: exact rows, determinism, deliberate oddities, refusals, editions."""

from __future__ import annotations

import itertools
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, insert, inspect, make_url, select

from exporters.db import create_db_engine
from exporters.sample_data import (
    PROFILES,
    CatalogExists,
    DatabaseUnavailable,
    SampleDataError,
    create_schema,
    generate,
    install_base,
)
from exporters.sample_data.errors import BadProductCount, UnknownEdition, UnknownProfile
from exporters.source import schema as s
from tests.support.databases import MARIADB_SERVER

#: Rows of small --products 200 with seed 0: 150 simples + 2 configurables × (1 + 24 variants).
EXPECTED_SMALL_200 = {
    "store_website": 2,  # admin + base
    "store": 2,  # admin + default
    "customer_group": 4,
    "eav_attribute_set": 14,  # customer, address, category, product Default + 10 toolkit sets
    "eav_attribute": 115,  # 18 category + 45 product + 2 configurable + 10 sets × 5
    "eav_attribute_option": 272,  # 6 colors + 5 manufacturers + 3 + 8 + 10 × 5 × 5
    "eav_attribute_option_value": 488,
    "catalog_category_entity": 32,  # roots 1 and 2 + 30
    "catalog_product_entity": 200,
    "catalog_product_super_attribute": 4,  # 2 configurables × 2
    "catalog_product_super_link": 48,  # 2 × 24
    "eav_attribute_option_swatch": 12,  # 3 swatch colours/images + 1 store view colour + 8 text sizes
    "catalog_product_option": 32,  # 8 simples (every 20th from 7) × drop_down, field, file + one more
    "catalog_product_option_title": 40,  # + the drop-down's store view title
    "catalog_product_option_price": 20,  # the non-selectable options
    "catalog_product_option_type_value": 36,  # 3 values × 12 selectable options
    "catalog_product_option_type_title": 48,
    "catalog_product_option_type_price": 48,
    "catalog_product_bundle_option": 7,  # 3 bundles × 2-3
    "catalog_product_bundle_option_value": 10,  # + the first option's store view title
    "catalog_product_bundle_selection": 15,
    "catalog_product_bundle_selection_price": 2,  # the fixed bundle's first selections
    "catalog_product_relation": 48,
    "catalog_product_website": 198,  # 2 products on no website
    "cataloginventory_stock_item": 200,
    "cataloginventory_stock_status": 200,
    "catalog_product_entity_varchar": 714,  # 4 downloadables × links_title, samples_title + 2 store titles
    "catalog_product_entity_int": 1344,  # 3 bundles × price_type, weight_type, price_view; 4 downloadables × 2
    "catalog_product_entity_decimal": 408,  # the 2 dynamic bundles and the 4 downloadables have no weight
    "catalog_product_entity_text": 538,
    "catalog_product_entity_datetime": 9,
    "catalog_product_entity_media_gallery": 66,  # 64 images + 2 videos
    "catalog_product_entity_media_gallery_value_video": 2,
    "catalog_product_entity_tier_price": 19,
    "catalog_product_index_price": 772,
    "catalog_category_product": 210,
    "url_rewrite": 411,  # 30 categories; products: 144 canonical, 200 under a category, 37 redirects
    "catalog_product_link": 14,
    "downloadable_link": 9,  # 4 downloadables (ids 13, 53, 93, 133 of the simples)
    "downloadable_link_title": 12,
    "downloadable_link_price": 9,
    "downloadable_sample": 2,
    "downloadable_sample_title": 2,
    "sales_order": 14,  # 80 orders scaled to 200 of 1,200 product rows, rounded up
    "sales_order_item": 28,  # 2 each
    "sales_order_address": 28,  # billing and shipping
    "sales_order_payment": 14,
    "sales_invoice": 9,  # processing, complete and closed orders
    "sales_invoice_item": 18,
    "sales_shipment": 6,  # complete and closed orders
    "sales_shipment_item": 12,
    "sales_shipment_track": 6,
    "sales_creditmemo": 1,  # closed orders
    "sales_creditmemo_item": 2,
    "sales_creditmemo_comment": 1,
    "sales_payment_transaction": 8,  # card payments: authorization, capture, refund
}
#: What a snapshot compares: the entities, every value table and the derived tables.
SNAPSHOT_TABLES = (
    s.catalog_product_entity,
    *s.product_values.values(),
    *s.category_values.values(),
    s.catalog_product_website,
    s.catalog_category_entity,
    s.catalog_category_product,
    s.catalog_product_index_price,
    s.catalog_product_entity_tier_price,
    s.eav_attribute,
    s.eav_attribute_option_value,
    s.catalog_product_super_link,
    s.eav_attribute_option_swatch,
    s.catalog_product_option,
    s.catalog_product_option_type_price,
    s.catalog_product_bundle_selection,
    s.url_rewrite,
    s.sales_order_item,
    s.downloadable_link,
    s.downloadable_sample_title,
    s.sales_order,
    s.sales_invoice_item,
    s.sales_shipment_track,
    s.sales_creditmemo_item,
    s.sales_payment_transaction,
)
Snapshot = dict[str, list[tuple[Any, ...]]]


def _plain(value: Any) -> Any:
    """Decimals as exact 4-place strings, whatever the driver returned (SQLite gives floats)."""
    if isinstance(value, float | Decimal):
        return str(Decimal(str(value)).quantize(Decimal("0.0001")))
    return value


@contextmanager
def connect(url: str) -> Iterator[Connection]:
    engine = create_db_engine(url)
    try:
        # SQLite hands DECIMAL back through float and says so; _plain rounds it to 4 places.
        with engine.connect() as conn, warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Dialect sqlite\\+pysqlite does \\*not\\* support Decimal")
            yield conn
    finally:
        engine.dispose()


def snapshot(url: str) -> Snapshot:
    """Every row of SNAPSHOT_TABLES in key order, comparable across databases."""
    with connect(url) as conn:
        return {
            table.name: [
                tuple(_plain(v) for v in row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in SNAPSHOT_TABLES
        }


def fetch(url: str, query: Any) -> list[tuple[Any, ...]]:
    with connect(url) as conn:
        return [tuple(_plain(v) for v in row) for row in conn.execute(query)]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """small --products 200, seed 0, in SQLite, with the progress calls it made."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'catalog.sqlite'}"
    calls: list[tuple[str, int]] = []
    generate(url, "small", products=200, progress=lambda step, done: calls.append((step, done)))
    yield url, calls


@pytest.fixture(scope="module")
def reference_snapshot(reference: tuple[str, list[tuple[str, int]]]) -> Snapshot:
    return snapshot(reference[0])


# --- profiles -------------------------------------------------------------------------------------
def test_profiles_have_the_toolkit_numbers():
    # given the four toolkit profiles
    # when their product rows are counted (simples + configurables × (1 + 24 variants))
    counts = {
        name: (p.websites, p.simple_products, p.configurable_products, p.product_rows, p.categories, p.orders)
        for name, p in PROFILES.items()
    }
    # then they are the toolkit's (docs/magento-schema.md §Profiles)
    assert counts == {
        "small": (1, 800, 16, 1_200, 30, 80),
        "medium": (3, 24_000, 640, 40_000, 300, 50_000),
        "large": (5, 300_000, 8_000, 500_000, 3_000, 100_000),
        "extra_large": (5, 600_000, 16_000, 1_000_000, 6_000, 150_000),
    }


@pytest.mark.parametrize(
    ("profile", "products", "expected"),
    [
        ("small", 200, (150, 2, 14)),  # a third of the rows are configurables and variants
        ("small", 24, (24, 0, 2)),  # too few rows for a configurable
        ("small", 25, (0, 1, 2)),  # from 25 rows on, at least one configurable
        ("small", 1_200, (800, 16, 80)),  # the profile itself
        ("medium", 200, (125, 3, 250)),  # medium keeps 40 % of its rows in configurables
    ],
)
def test_products_override_keeps_the_simple_configurable_mix(profile, products, expected):
    # given a profile
    # when it is scaled to a number of product rows
    scaled = PROFILES[profile].with_products(products)
    # then the rows add up exactly and the mix (and orders) follow the profile
    assert (scaled.simple_products, scaled.configurable_products, scaled.orders) == expected
    assert scaled.product_rows == products


def test_bad_options_are_refused_before_touching_the_database(tmp_path: Path):
    # given a database URL that must stay untouched
    url = f"sqlite:///{tmp_path / 'untouched.sqlite'}"
    # when the options are wrong, then each is refused with a message naming the valid choices
    with pytest.raises(UnknownProfile, match=r"unknown sample-data profile 'huge'\. Valid profiles: small, "):
        generate(url, "huge")
    with pytest.raises(UnknownEdition, match="Valid editions: opensource, commerce"):
        generate(url, "small", edition="enterprise")
    with pytest.raises(BadProductCount, match="--products must be at least 1 \\(got 0\\)"):
        generate(url, "small", products=0)
    assert not (tmp_path / "untouched.sqlite").exists()


# --- base install ---------------------------------------------------------------------------------
def test_install_base_writes_magento_install_rows(source_url: str):
    # given empty Magento tables
    engine = create_db_engine(source_url, create_sqlite_dir=True)
    create_schema(engine)
    # when the base install is written with three websites
    with engine.begin() as conn:
        base = install_base(conn, websites=3)
    engine.dispose()
    # then the admin scope is 0, the default scopes 1, the extra ones use the toolkit's codes
    w, g, v = s.store_website.c, s.store_group.c, s.store.c
    assert fetch(source_url, select(w.website_id, w.code, w.default_group_id).order_by(w.website_id)) == [
        (0, "admin", 0),
        (1, "base", 1),
        (2, "website_2", 2),
        (3, "website_3", 3),
    ]
    assert fetch(source_url, select(g.group_id, g.code, g.website_id, g.root_category_id).order_by(g.group_id)) == [
        (0, "default", 0, 0),
        (1, "main_website_store", 1, 2),
        (2, "store_group_2", 2, 2),
        (3, "store_group_3", 3, 2),
    ]
    assert fetch(source_url, select(v.store_id, v.code, v.website_id, v.group_id).order_by(v.store_id)) == [
        (0, "admin", 0, 0),
        (1, "default", 1, 1),
        (2, "store_view_2", 2, 2),
        (3, "store_view_3", 3, 3),
    ]
    assert base.store_ids == (1, 2, 3)
    # and the customer groups, root categories and config are Magento's
    cg, cat, config = s.customer_group.c, s.catalog_category_entity.c, s.core_config_data.c
    assert fetch(source_url, select(cg.customer_group_id, cg.customer_group_code).order_by(cg.customer_group_id)) == [
        (0, "NOT LOGGED IN"),
        (1, "General"),
        (2, "Wholesale"),
        (3, "Retailer"),
    ]
    assert fetch(source_url, select(cat.entity_id, cat.path, cat.level).order_by(cat.entity_id)) == [
        (1, "1", 0),
        (2, "1/2", 1),
    ]
    assert fetch(source_url, select(config.value).where(config.path == "web/secure/base_url")) == [
        ("http://magento.test/",)
    ]
    # and the standard attributes carry the real ids, types and scopes
    a, c = s.eav_attribute.c, s.catalog_eav_attribute.c
    codes = ["name", "sku", "price", "status", "visibility", "url_key", "media_gallery", "tax_class_id", "color"]
    attributes = fetch(
        source_url,
        select(a.attribute_code, a.attribute_id, a.backend_type, c.is_global)
        .join(s.catalog_eav_attribute, c.attribute_id == a.attribute_id)
        .where(a.entity_type_id == 4, a.attribute_code.in_(codes))
        .order_by(a.attribute_id),
    )
    assert attributes == [
        ("name", 73, "varchar", 0),
        ("sku", 74, "static", 1),
        ("price", 77, "decimal", 1),
        ("media_gallery", 90, "static", 1),
        ("color", 93, "int", 1),
        ("status", 97, "int", 2),
        ("visibility", 99, "int", 0),
        ("url_key", 121, "varchar", 0),
        ("tax_class_id", 136, "int", 2),
    ]
    # and a row added afterwards without an explicit id gets the next free one (PostgreSQL sequences)
    varchar = s.category_values["varchar"]
    engine = create_db_engine(source_url)
    with engine.begin() as conn:
        conn.execute(insert(varchar).values(attribute_id=120, store_id=0, entity_id=2, value="x"))
        assert conn.execute(select(func.max(varchar.c.value_id))).scalar_one() == 4
    engine.dispose()


# --- the small profile on every database ---------------------------------------------------------------
def test_small_profile_writes_exact_rows_identical_on_every_database(source_url: str, reference_snapshot: Snapshot):
    # given an empty database (SQLite, MariaDB, PostgreSQL)
    # when the small profile is generated with 200 product rows and seed 0
    report = generate(source_url, "small", products=200)
    # then the key tables hold exactly the expected rows, as the database itself counts them
    assert {t: report.counts[t] for t in EXPECTED_SMALL_200} == EXPECTED_SMALL_200
    with connect(source_url) as conn:
        assert {
            t: conn.execute(select(func.count()).select_from(s.metadata.tables[t])).scalar_one()
            for t in EXPECTED_SMALL_200
        } == EXPECTED_SMALL_200
    # and every row, ids included, is the one the reference SQLite run wrote
    assert snapshot(source_url) == reference_snapshot


def test_same_seed_gives_identical_rows(tmp_path: Path, reference_snapshot: Snapshot):
    # given a catalog generated with seed 0 (the reference)
    # when another is generated with the same options into another database
    url = f"sqlite:///{tmp_path / 'again.sqlite'}"
    generate(url, "small", products=200, seed=0)
    # then both hold the same rows
    assert snapshot(url) == reference_snapshot


def test_different_seed_gives_different_rows(tmp_path: Path, reference_snapshot: Snapshot):
    # given a catalog generated with seed 0 (the reference)
    # when another is generated with seed 1
    url = f"sqlite:///{tmp_path / 'seed1.sqlite'}"
    generate(url, "small", products=200, seed=1)
    other = snapshot(url)
    # then the product count is the same, but the ids and values are not
    assert len(other["catalog_product_entity"]) == 200
    assert other["catalog_product_entity"] != reference_snapshot["catalog_product_entity"]
    assert other["catalog_product_entity_decimal"] != reference_snapshot["catalog_product_entity_decimal"]


def test_progress_reports_every_step(reference: tuple[str, list[tuple[str, int]]]):
    # given the progress calls of the reference run
    _, calls = reference
    # then each step was announced once, in order, and products and orders ended at their totals
    starts = [step for step, done in calls if done == 0]
    assert starts == ["schema", "base", "attributes", "categories", "products", "orders"]
    assert ("products", 200) in calls
    assert calls[-1] == ("orders", 14)


# --- deliberate oddities -------------------------------------------------------------------------------
def test_entity_ids_are_sparse(reference: tuple[str, list[tuple[str, int]]]):
    # given the reference catalog
    url, _ = reference
    # when its product ids are listed
    ids = [row[0] for row in fetch(url, select(s.catalog_product_entity.c.entity_id).order_by("entity_id"))]
    gaps = [b - a for a, b in itertools.pairwise(ids) if b - a > 1]
    # then 200 products span 1..1222: small gaps, and a block of 1,000 unused ids before the configurables
    assert (len(ids), ids[0], ids[-1]) == (200, 1, 1222)
    assert len(gaps) == 3
    assert max(gaps) > 1_000


def test_store_level_values_include_null_overrides_and_stray_global_rows(reference):
    # given the reference catalog
    url, _ = reference
    text, decimal, int_ = (s.product_values[t] for t in ("text", "decimal", "int"))
    # then store view rows override descriptions with NULL (which must win over store 0)
    null_overrides = fetch(
        url, select(func.count()).select_from(text).where(text.c.store_id == 1, text.c.value.is_(None))
    )
    assert null_overrides == [(11,)]
    # and a few global prices have a stray store row (which must be ignored)
    assert fetch(
        url, select(func.count()).select_from(decimal).where(decimal.c.store_id == 1, decimal.c.attribute_id == 77)
    ) == [(3,)]
    # and the website-scope status is set on a store view for one product
    assert fetch(
        url, select(func.count()).select_from(int_).where(int_.c.store_id == 1, int_.c.attribute_id == 97)
    ) == [(1,)]

    # and some products are disabled, some not visible on their own beyond the 48 variants
    def spread(attribute_id: int) -> list[tuple[Any, ...]]:
        return fetch(
            url,
            select(int_.c.value, func.count())
            .where(int_.c.store_id == 0, int_.c.attribute_id == attribute_id)
            .group_by(int_.c.value)
            .order_by(int_.c.value),
        )

    assert spread(97) == [(1, 195), (2, 5)]
    assert spread(99) == [(1, 54), (2, 1), (3, 7), (4, 138)]


def test_multiselect_values_are_comma_separated_option_ids_in_text(reference):
    # given the reference catalog's multiselect attributes (the last of each toolkit attribute set)
    url, _ = reference
    a, text, option = s.eav_attribute, s.product_values["text"], s.eav_attribute_option
    multiselects = fetch(
        url,
        select(a.c.attribute_id, a.c.backend_type).where(a.c.entity_type_id == 4, a.c.frontend_input == "multiselect"),
    )
    assert len(multiselects) == 10
    assert {backend for _, backend in multiselects} == {"text"}
    # when their values are read
    values = fetch(url, select(text.c.value).where(text.c.attribute_id.in_([i for i, _ in multiselects])))
    options = {row[0] for row in fetch(url, select(option.c.option_id))}
    # then every value is a list of existing option ids
    assert values
    assert all({int(o) for o in value.split(",")} <= options for (value,) in values)


def test_some_options_have_no_store_label(reference):
    # given the reference catalog's option labels
    url, _ = reference
    v = s.eav_attribute_option_value
    labelled = fetch(url, select(v.c.option_id, func.count()).group_by(v.c.option_id))
    # then each option has an admin label, and one of every three has no store-view label:
    # 2 of 6 colors, 1 of 5 manufacturers, 1 of 3 swatches, 2 of 8 sizes, 1 of 5 options × 50 attributes
    assert {count for _, count in labelled} == {1, 2}
    assert sum(1 for _, count in labelled if count == 1) == 2 + 1 + 1 + 2 + 50


def test_medium_puts_products_on_all_websites_except_a_few(make_db: Callable[[str], str]):
    # given the medium profile (3 websites, entities assigned to all of them) scaled to 200 rows
    url = make_db("sqlite")
    generate(url, "medium", products=200)
    # when products are counted by their number of websites
    e, w = s.catalog_product_entity, s.catalog_product_website
    per_product = (
        select(e.c.entity_id, func.count(w.c.website_id).label("websites"))
        .outerjoin(w, w.c.product_id == e.c.entity_id)
        .group_by(e.c.entity_id)
        .subquery()
    )
    spread = fetch(
        url,
        select(per_product.c.websites, func.count()).group_by(per_product.c.websites).order_by(per_product.c.websites),
    )
    # then most are on all three, some on a subset on purpose (a configurable's 24 variants follow
    # it), one on none
    assert spread == [(0, 1), (2, 35), (3, 164)]


# --- refusals and editions -------------------------------------------------------------------------------
def test_refuses_a_database_holding_a_catalog_unless_replace(make_db: Callable[[str], str]):
    # given a database holding a 200-product catalog
    url = make_db("sqlite")
    generate(url, "small", products=200)
    # when a catalog is generated into it again without replace
    # then it is refused, naming the catalog and the option
    with pytest.raises(CatalogExists) as refused:
        generate(url, "small", products=50)
    assert isinstance(refused.value, SampleDataError)
    assert "already holds a catalog (200 products); pass --replace" in str(refused.value)
    # and with replace the old catalog is dropped and the new one written
    report = generate(url, "small", products=50, replace=True)
    assert report.counts["catalog_product_entity"] == 50
    assert fetch(url, select(func.count()).select_from(s.catalog_product_entity)) == [(50,)]


def test_refuses_a_database_with_magento_rows_but_no_products(make_db: Callable[[str], str]):
    # given a database with a base install and no products
    url = make_db("sqlite")
    engine = create_db_engine(url)
    create_schema(engine)
    with engine.begin() as conn:
        install_base(conn)
    engine.dispose()
    # when a catalog is generated into it, then it is refused, naming the table that has rows
    with pytest.raises(CatalogExists, match=r"already holds Magento rows \(\d+ in \w+\); pass --replace"):
        generate(url, "small", products=10)


@pytest.mark.mariadb
def test_unreachable_database_is_one_clear_error():
    # given a MariaDB URL naming a database that does not exist (mysql://root@127.0.0.1:3306/... by default)
    server = make_url(MARIADB_SERVER).set(drivername="mysql")
    url = f"{server.render_as_string(hide_password=False)}/saas_test_no_such_database"
    shown = f"{server.render_as_string(hide_password=True)}/saas_test_no_such_database"
    # when a catalog is generated into it, then the error names the database and the fix
    with pytest.raises(
        DatabaseUnavailable,
        match=re.escape(f"cannot write a sample catalog to {shown}: ") + r"\(1049, \"Unknown database",
    ):
        generate(url, "small", products=10)


@pytest.mark.postgres
def test_commerce_edition_writes_category_permissions(make_db: Callable[[str], str]):
    # given an empty PostgreSQL database
    url = make_db("postgres")
    # when a Commerce catalog is generated
    report = generate(url, "small", products=200, edition="commerce")
    # then category permissions exist, with Magento's grant values and NULL wildcards
    p = s.magento_catalogpermissions
    assert report.counts["magento_catalogpermissions"] == 20
    grants = fetch(
        url, select(p.c.grant_catalog_category_view, p.c.grant_catalog_product_price, p.c.grant_checkout_items)
    )
    assert {g for row in grants for g in row} == {-1, -2, 0}
    wildcards = fetch(
        url, select(func.count()).select_from(p).where(p.c.website_id.is_(None) | p.c.customer_group_id.is_(None))
    )
    assert wildcards == [(12,)]


def test_opensource_edition_has_no_permissions_table(make_db: Callable[[str], str]):
    # given a database holding a Commerce catalog
    url = make_db("sqlite")
    generate(url, "small", products=30, edition="commerce")
    # when it is replaced by an Open Source catalog
    report = generate(url, "small", products=30, replace=True)
    # then the Commerce-only table is gone
    engine = create_db_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert "magento_catalogpermissions" not in tables
    assert "magento_catalogpermissions" not in report.counts
    assert {"catalog_product_entity", "sales_order", "url_rewrite"} <= tables


@pytest.mark.mariadb
def test_commerce_edition_stages_the_catalog_by_row_id(make_db: Callable[[str], str]):
    # given an empty MariaDB database
    url = make_db("mariadb")
    # when a Commerce catalog of 200 products is generated
    report = generate(url, "small", products=200, edition="commerce")
    # then each product and category has one sequence row and one entity row per version:
    # every 4th id an ended update, every 7th a scheduled one (200 + 50 + 28)
    assert report.counts["sequence_product"] == 200
    assert report.counts["catalog_product_entity"] == 278
    assert report.counts["sequence_catalog_category"] == 32
    assert report.counts["catalog_category_entity"] == 44
    # and product 56 has all three, the live one numbered 3 × 56, the others with their own rows
    product = s.STAGED_TABLES["catalog_product_entity"]
    assert fetch(
        url,
        select(product.c.row_id, product.c.created_in, product.c.updated_in, product.c.sku)
        .where(product.c.entity_id == 56)
        .order_by(product.c.row_id),
    ) == [
        (166, 2000000000, 2147483647, "product_dynamic_38 (staged)"),
        (167, 1, 1709251200, "product_dynamic_38 (staged)"),
        (168, 1709251200, 2000000000, "product_dynamic_38"),
    ]
    # and values (73 is the product name) hang off row_id, one copy per version, the live one
    # holding the catalog's value
    name = s.STAGED_TABLES["catalog_product_entity_varchar"]
    assert fetch(
        url,
        select(name.c.row_id, name.c.value)
        .where(name.c.attribute_id == 73, name.c.row_id.between(166, 168))
        .order_by(name.c.row_id),
    ) == [(166, "Simple Product 38 (staged)"), (167, "Simple Product 38 (staged)"), (168, "Simple Product 38")]
    # and the parent side of the configurable links holds the parents' row ids
    parents = s.catalog_product_super_link.c.parent_id
    assert fetch(url, select(parents).distinct().order_by(parents)) == [
        (3505,),
        (3507,),
        (3582,),
    ]
