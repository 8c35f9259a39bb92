"""The Magento 2.4 tables the feeds read, defined once with Magento's names and MySQL types.

The same definitions create the sample catalogs (on MariaDB, PostgreSQL and SQLite) and build
the exporter's queries, so a column exists in exactly one place. Only the columns the exporter
or the sample generator touch are declared: a real Magento database has more, and reading
through these definitions never selects what is not named here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    DateTime,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    literal,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.types import TypeEngine

metadata = MetaData()

_MYSQL = ("mysql", "mariadb")


def _variant(generic: TypeEngine[Any], specific: TypeEngine[Any]) -> TypeEngine[Any]:
    for dialect in _MYSQL:
        generic = generic.with_variant(specific, dialect)
    return generic


#: INT(10) UNSIGNED: Magento's entity ids. Plain INTEGER elsewhere so SQLite rowids still work.
INT10U = _variant(Integer(), mysql.INTEGER(unsigned=True))
#: SMALLINT(5) UNSIGNED: store, website and attribute ids.
SI5U = _variant(Integer(), mysql.SMALLINT(unsigned=True))
#: MEDIUMTEXT on MariaDB/MySQL, where TEXT's 64 KiB would cut a long description.
LONGTEXT = _variant(Text(), mysql.MEDIUMTEXT())
#: BIGINT UNSIGNED: staging versions (``created_in``/``updated_in``).
UBIGINT = _variant(BigInteger(), mysql.BIGINT(unsigned=True))
DEC12_4 = Numeric(12, 4)
#: ``updated_in`` of a version with no later one scheduled (Magento's VersionManager::MAX_VERSION).
STAGING_MAX_VERSION = 2147483647
DEC20_4 = Numeric(20, 4)


def _pk(name: str, type_: TypeEngine[Any] = INT10U) -> Column[Any]:
    return Column(name, type_, primary_key=True, autoincrement=True)


# --- stores and customer groups -------------------------------------------------------------
store_website = Table(
    "store_website",
    metadata,
    _pk("website_id", SI5U),
    Column("code", String(32), unique=True),
    Column("name", String(64)),
    Column("sort_order", SI5U, nullable=False, server_default="0"),
    Column("default_group_id", SI5U, nullable=False, server_default="0"),
    Column("is_default", SI5U, server_default="0"),
)
store_group = Table(
    "store_group",
    metadata,
    _pk("group_id", SI5U),
    Column("website_id", SI5U, nullable=False, server_default="0"),
    Column("name", String(255), nullable=False),
    Column("root_category_id", INT10U, nullable=False, server_default="0"),
    Column("default_store_id", SI5U, nullable=False, server_default="0"),
    Column("code", String(32), unique=True),
)
store = Table(
    "store",
    metadata,
    _pk("store_id", SI5U),
    Column("code", String(32), unique=True),
    Column("website_id", SI5U, nullable=False, server_default="0"),
    Column("group_id", SI5U, nullable=False, server_default="0"),
    Column("name", String(255), nullable=False),
    Column("sort_order", SI5U, nullable=False, server_default="0"),
    Column("is_active", SI5U, nullable=False, server_default="0"),
)
customer_group = Table(
    "customer_group",
    metadata,
    _pk("customer_group_id"),
    Column("customer_group_code", String(32), nullable=False),
    Column("tax_class_id", INT10U, nullable=False, server_default="0"),
)
core_config_data = Table(
    "core_config_data",
    metadata,
    _pk("config_id"),
    Column("scope", String(8), nullable=False, server_default="default"),
    Column("scope_id", Integer, nullable=False, server_default="0"),
    Column("path", String(255), nullable=False, server_default="general"),
    Column("value", Text),
    UniqueConstraint("scope", "scope_id", "path"),
)

# --- EAV metadata ----------------------------------------------------------------------------
eav_entity_type = Table(
    "eav_entity_type",
    metadata,
    _pk("entity_type_id", SI5U),
    Column("entity_type_code", String(50), nullable=False),
    Column("entity_model", String(255), nullable=False),
    Column("entity_table", String(255)),
    Column("default_attribute_set_id", SI5U, nullable=False, server_default="0"),
)
eav_attribute = Table(
    "eav_attribute",
    metadata,
    _pk("attribute_id", SI5U),
    Column("entity_type_id", SI5U, nullable=False, server_default="0"),
    Column("attribute_code", String(255), nullable=False),
    Column("backend_model", String(255)),
    Column("backend_type", String(8), nullable=False, server_default="static"),
    Column("frontend_input", String(50)),
    Column("frontend_label", String(255)),
    Column("source_model", String(255)),
    Column("is_required", SI5U, nullable=False, server_default="0"),
    Column("is_user_defined", SI5U, nullable=False, server_default="0"),
    Column("default_value", Text),
    Column("is_unique", SI5U, nullable=False, server_default="0"),
    UniqueConstraint("entity_type_id", "attribute_code"),
)
catalog_eav_attribute = Table(
    "catalog_eav_attribute",
    metadata,
    Column("attribute_id", SI5U, primary_key=True, autoincrement=False),
    Column("is_global", SI5U, nullable=False, server_default="1"),
    Column("is_visible", SI5U, nullable=False, server_default="1"),
    Column("is_searchable", SI5U, nullable=False, server_default="0"),
    Column("is_filterable", SI5U, nullable=False, server_default="0"),
    Column("is_comparable", SI5U, nullable=False, server_default="0"),
    Column("is_visible_on_front", SI5U, nullable=False, server_default="0"),
    Column("is_html_allowed_on_front", SI5U, nullable=False, server_default="0"),
    Column("is_used_for_price_rules", SI5U, nullable=False, server_default="0"),
    Column("is_filterable_in_search", SI5U, nullable=False, server_default="0"),
    Column("used_in_product_listing", SI5U, nullable=False, server_default="0"),
    Column("used_for_sort_by", SI5U, nullable=False, server_default="0"),
    Column("is_visible_in_advanced_search", SI5U, nullable=False, server_default="0"),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("is_used_for_promo_rules", SI5U, nullable=False, server_default="0"),
    Column("search_weight", Numeric(12, 4), nullable=False, server_default="1"),
)
eav_attribute_set = Table(
    "eav_attribute_set",
    metadata,
    _pk("attribute_set_id", SI5U),
    Column("entity_type_id", SI5U, nullable=False, server_default="0"),
    Column("attribute_set_name", String(255)),
    Column("sort_order", SmallInteger, nullable=False, server_default="0"),
    UniqueConstraint("entity_type_id", "attribute_set_name"),
)
eav_attribute_group = Table(
    "eav_attribute_group",
    metadata,
    _pk("attribute_group_id", SI5U),
    Column("attribute_set_id", SI5U, nullable=False, server_default="0"),
    Column("attribute_group_name", String(255)),
    Column("sort_order", SmallInteger, nullable=False, server_default="0"),
    Column("attribute_group_code", String(255), nullable=False),
    UniqueConstraint("attribute_set_id", "attribute_group_name"),
)
eav_entity_attribute = Table(
    "eav_entity_attribute",
    metadata,
    _pk("entity_attribute_id"),
    Column("entity_type_id", SI5U, nullable=False, server_default="0"),
    Column("attribute_set_id", SI5U, nullable=False, server_default="0"),
    Column("attribute_group_id", SI5U, nullable=False, server_default="0"),
    Column("attribute_id", SI5U, nullable=False, server_default="0"),
    Column("sort_order", SmallInteger, nullable=False, server_default="0"),
    UniqueConstraint("attribute_set_id", "attribute_id"),
)
eav_attribute_option = Table(
    "eav_attribute_option",
    metadata,
    _pk("option_id"),
    Column("attribute_id", SI5U, nullable=False, server_default="0", index=True),
    Column("sort_order", SI5U, nullable=False, server_default="0"),
)
eav_attribute_option_value = Table(
    "eav_attribute_option_value",
    metadata,
    _pk("value_id"),
    Column("option_id", INT10U, nullable=False, server_default="0", index=True),
    Column("store_id", SI5U, nullable=False, server_default="0"),
    Column("value", String(255)),
)
eav_attribute_label = Table(
    "eav_attribute_label",
    metadata,
    _pk("attribute_label_id"),
    Column("attribute_id", SI5U, nullable=False, server_default="0"),
    Column("store_id", SI5U, nullable=False, server_default="0"),
    Column("value", String(255)),
    UniqueConstraint("store_id", "attribute_id"),
)

# --- products and categories -------------------------------------------------------------------
#: The EAV value tables and their value column types, in Magento's order.
VALUE_TYPES: dict[str, TypeEngine[Any]] = {
    "datetime": DateTime(),
    "decimal": DEC12_4,
    "int": Integer(),
    "text": LONGTEXT,
    "varchar": String(255),
}


def _value_table(md: MetaData, entity: str, backend_type: str, link: str = "entity_id") -> Table:
    name = f"{entity}_{backend_type}"
    return Table(
        name,
        md,
        Column("value_id", Integer, primary_key=True, autoincrement=True),
        Column("attribute_id", SI5U, nullable=False, server_default="0"),
        Column("store_id", SI5U, nullable=False, server_default="0"),
        Column(link, INT10U, nullable=False, server_default="0"),
        Column("value", VALUE_TYPES[backend_type]),
        UniqueConstraint(link, "attribute_id", "store_id", name=f"{name}_entity_attr_store"),
        Index(f"{name}_store_id", "store_id"),
    )


def _entity_keys(md: MetaData, name: str, staged: bool) -> list[Any]:
    """The key columns of a product or category entity table.

    Staged (Adobe Commerce): ``row_id`` is the key, one row per scheduled version of the
    entity, live between ``created_in`` and ``updated_in``; ``entity_id`` is the stable id from
    ``sequence_*`` (docs/magento-schema.md §Staging).
    """
    if not staged:
        return [_pk("entity_id")]
    return [
        _pk("row_id"),
        Column("entity_id", INT10U, nullable=False),
        Column("created_in", UBIGINT, nullable=False, server_default="1"),
        Column("updated_in", UBIGINT, nullable=False, server_default=str(STAGING_MAX_VERSION)),
        Index(f"{name}_entity_id_created_in_updated_in", "entity_id", "created_in", "updated_in"),
    ]


def _product_entity(md: MetaData, staged: bool = False) -> Table:
    return Table(
        "catalog_product_entity",
        md,
        *_entity_keys(md, "catalog_product_entity", staged),
        Column("attribute_set_id", SI5U, nullable=False, server_default="0"),
        Column("type_id", String(32), nullable=False, server_default="simple"),
        Column("sku", String(64), index=True),
        Column("has_options", SmallInteger, nullable=False, server_default="0"),
        Column("required_options", SI5U, nullable=False, server_default="0"),
        Column("created_at", DateTime, nullable=False),
        Column("updated_at", DateTime, nullable=False),
    )


def _category_entity(md: MetaData, staged: bool = False) -> Table:
    return Table(
        "catalog_category_entity",
        md,
        *_entity_keys(md, "catalog_category_entity", staged),
        Column("attribute_set_id", SI5U, nullable=False, server_default="0"),
        Column("parent_id", INT10U, nullable=False, server_default="0"),
        Column("created_at", DateTime, nullable=False),
        Column("updated_at", DateTime, nullable=False),
        Column("path", String(255), nullable=False, index=True),
        Column("position", Integer, nullable=False),
        Column("level", Integer, nullable=False, server_default="0"),
        Column("children_count", Integer, nullable=False),
    )


catalog_product_entity = _product_entity(metadata)
#: Product value tables by backend_type.
product_values: dict[str, Table] = {t: _value_table(metadata, "catalog_product_entity", t) for t in VALUE_TYPES}

catalog_category_entity = _category_entity(metadata)
#: Category value tables by backend_type.
category_values: dict[str, Table] = {t: _value_table(metadata, "catalog_category_entity", t) for t in VALUE_TYPES}

catalog_product_website = Table(
    "catalog_product_website",
    metadata,
    Column("product_id", INT10U, nullable=False),
    Column("website_id", SI5U, nullable=False),
    PrimaryKeyConstraint("product_id", "website_id"),
)
catalog_category_product = Table(
    "catalog_category_product",
    metadata,
    Column("entity_id", Integer, primary_key=True, autoincrement=True),
    Column("category_id", INT10U, nullable=False, server_default="0"),
    Column("product_id", INT10U, nullable=False, server_default="0", index=True),
    Column("position", Integer, nullable=False, server_default="0"),
    UniqueConstraint("category_id", "product_id"),
)
catalog_product_relation = Table(
    "catalog_product_relation",
    metadata,
    Column("parent_id", INT10U, nullable=False),
    Column("child_id", INT10U, nullable=False, index=True),
    PrimaryKeyConstraint("parent_id", "child_id"),
)
catalog_product_link = Table(
    "catalog_product_link",
    metadata,
    _pk("link_id"),
    Column("product_id", INT10U, nullable=False, server_default="0"),
    Column("linked_product_id", INT10U, nullable=False, server_default="0"),
    Column("link_type_id", SI5U, nullable=False, server_default="0"),
    UniqueConstraint("link_type_id", "product_id", "linked_product_id"),
)
catalog_product_super_attribute = Table(
    "catalog_product_super_attribute",
    metadata,
    _pk("product_super_attribute_id"),
    Column("product_id", INT10U, nullable=False, server_default="0"),
    Column("attribute_id", SI5U, nullable=False, server_default="0"),
    Column("position", SI5U, nullable=False, server_default="0"),
    UniqueConstraint("product_id", "attribute_id"),
)
catalog_product_super_attribute_label = Table(
    "catalog_product_super_attribute_label",
    metadata,
    _pk("value_id"),
    Column("product_super_attribute_id", INT10U, nullable=False, server_default="0"),
    Column("store_id", SI5U, nullable=False, server_default="0"),
    Column("use_default", SI5U, server_default="0"),
    Column("value", String(255)),
    UniqueConstraint("product_super_attribute_id", "store_id"),
)
catalog_product_super_link = Table(
    "catalog_product_super_link",
    metadata,
    _pk("link_id"),
    Column("product_id", INT10U, nullable=False, server_default="0"),
    Column("parent_id", INT10U, nullable=False, server_default="0", index=True),
    UniqueConstraint("product_id", "parent_id"),
)


# --- prices and media ----------------------------------------------------------------------------
def _tier_price(md: MetaData, link: str = "entity_id") -> Table:
    return Table(
        "catalog_product_entity_tier_price",
        md,
        Column("value_id", Integer, primary_key=True, autoincrement=True),
        Column(link, INT10U, nullable=False, server_default="0"),
        Column("all_groups", SI5U, nullable=False, server_default="1"),
        Column("customer_group_id", INT10U, nullable=False, server_default="0"),
        Column("qty", DEC12_4, nullable=False, server_default="1"),
        Column("value", DEC12_4, nullable=False, server_default="0"),
        Column("website_id", SI5U, nullable=False),
        Column("percentage_value", Numeric(5, 2)),
        UniqueConstraint(link, "all_groups", "customer_group_id", "qty", "website_id"),
    )


catalog_product_entity_tier_price = _tier_price(metadata)
catalog_product_index_price = Table(
    "catalog_product_index_price",
    metadata,
    Column("entity_id", INT10U, nullable=False),
    Column("customer_group_id", INT10U, nullable=False),
    Column("website_id", SI5U, nullable=False),
    Column("tax_class_id", SI5U, server_default="0"),
    Column("price", DEC12_4),
    Column("final_price", DEC12_4),
    Column("min_price", DEC12_4),
    Column("max_price", DEC12_4),
    Column("tier_price", DEC12_4),
    PrimaryKeyConstraint("entity_id", "customer_group_id", "website_id"),
)
catalog_product_entity_media_gallery = Table(
    "catalog_product_entity_media_gallery",
    metadata,
    _pk("value_id"),
    Column("attribute_id", SI5U, nullable=False, server_default="0"),
    Column("value", String(255)),
    Column("media_type", String(32), nullable=False, server_default="image"),
    Column("disabled", SI5U, nullable=False, server_default="0"),
)


def _media_value(md: MetaData, link: str = "entity_id") -> Table:
    return Table(
        "catalog_product_entity_media_gallery_value",
        md,
        Column("record_id", Integer, primary_key=True, autoincrement=True),
        Column("value_id", INT10U, nullable=False, server_default="0"),
        Column("store_id", SI5U, nullable=False, server_default="0"),
        Column(link, INT10U, nullable=False, server_default="0", index=True),
        Column("label", String(255)),
        Column("position", INT10U),
        Column("disabled", SI5U, nullable=False, server_default="0"),
    )


def _media_to_entity(md: MetaData, link: str = "entity_id") -> Table:
    return Table(
        "catalog_product_entity_media_gallery_value_to_entity",
        md,
        Column("value_id", INT10U, nullable=False),
        Column(link, INT10U, nullable=False, index=True),
        UniqueConstraint("value_id", link),
    )


catalog_product_entity_media_gallery_value = _media_value(metadata)
catalog_product_entity_media_gallery_value_to_entity = _media_to_entity(metadata)

# --- inventory, urls, sales ------------------------------------------------------------------------
cataloginventory_stock_item = Table(
    "cataloginventory_stock_item",
    metadata,
    _pk("item_id"),
    Column("product_id", INT10U, nullable=False, server_default="0"),
    Column("stock_id", SI5U, nullable=False, server_default="0"),
    Column("qty", DEC12_4),
    Column("min_qty", DEC12_4, nullable=False, server_default="0"),
    Column("is_in_stock", SI5U, nullable=False, server_default="0"),
    Column("notify_stock_qty", DEC12_4),
    Column("manage_stock", SI5U, nullable=False, server_default="0"),
    Column("use_config_manage_stock", SI5U, nullable=False, server_default="1"),
    Column("website_id", SI5U, nullable=False, server_default="0"),
    UniqueConstraint("product_id", "stock_id"),
)
cataloginventory_stock_status = Table(
    "cataloginventory_stock_status",
    metadata,
    Column("product_id", INT10U, nullable=False),
    Column("website_id", SI5U, nullable=False),
    Column("stock_id", SI5U, nullable=False),
    Column("qty", DEC12_4, nullable=False, server_default="0"),
    Column("stock_status", SI5U, nullable=False),
    PrimaryKeyConstraint("product_id", "website_id", "stock_id"),
)
url_rewrite = Table(
    "url_rewrite",
    metadata,
    _pk("url_rewrite_id"),
    Column("entity_type", String(32), nullable=False),
    Column("entity_id", INT10U, nullable=False),
    Column("request_path", String(255)),
    Column("target_path", String(255)),
    Column("redirect_type", SI5U, nullable=False, server_default="0"),
    Column("store_id", SI5U, nullable=False),
    Column("is_autogenerated", SI5U, nullable=False, server_default="0"),
    Column("metadata", String(255)),
    UniqueConstraint("request_path", "store_id"),
    Index("url_rewrite_store_id_entity_id", "store_id", "entity_id"),
)
sales_order = Table(
    "sales_order",
    metadata,
    _pk("entity_id"),
    Column("state", String(32)),
    Column("status", String(32)),
    Column("store_id", SI5U),
    Column("customer_id", INT10U),
    Column("customer_group_id", Integer),
    Column("customer_is_guest", SI5U),
    Column("customer_email", String(128)),
    Column("increment_id", String(50)),
    Column("base_grand_total", DEC20_4),
    Column("grand_total", DEC20_4),
    Column("subtotal", DEC20_4),
    Column("tax_amount", DEC20_4),
    Column("shipping_amount", DEC20_4),
    Column("discount_amount", DEC20_4),
    Column("total_qty_ordered", DEC12_4),
    Column("base_currency_code", String(3)),
    Column("order_currency_code", String(3)),
    Column("total_item_count", SI5U, nullable=False, server_default="0"),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("increment_id", "store_id"),
)
sales_order_item = Table(
    "sales_order_item",
    metadata,
    _pk("item_id"),
    Column("order_id", INT10U, nullable=False, server_default="0", index=True),
    Column("parent_item_id", INT10U),
    Column("store_id", SI5U),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("product_id", INT10U),
    Column("product_type", String(255)),
    Column("sku", String(255)),
    Column("name", String(255)),
    Column("qty_ordered", DEC12_4, server_default="0"),
    Column("price", DEC20_4, nullable=False, server_default="0"),
    Column("base_price", DEC20_4, nullable=False, server_default="0"),
    Column("row_total", DEC20_4, nullable=False, server_default="0"),
)

# --- Adobe Commerce only ------------------------------------------------------------------------------
magento_catalogpermissions = Table(
    "magento_catalogpermissions",
    metadata,
    _pk("permission_id"),
    Column("category_id", INT10U, nullable=False),
    Column("website_id", SI5U),
    Column("customer_group_id", INT10U),
    Column("grant_catalog_category_view", SmallInteger, nullable=False),
    Column("grant_catalog_product_price", SmallInteger, nullable=False),
    Column("grant_checkout_items", SmallInteger, nullable=False),
    UniqueConstraint("category_id", "website_id", "customer_group_id"),
)

# --- Adobe Commerce staging: the same catalog keyed by row_id ----------------------------------------
#: The Commerce layout (docs/magento-schema.md §Staging): product and category entities get ``row_id``
#: versions; their value, tier-price and media tables are keyed by ``row_id``; every other table
#: is the Open Source one. Relation tables keep their columns, but their parent side holds the
#: parent's ``row_id``.
commerce_metadata = MetaData()
STAGED_TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _product_entity(commerce_metadata, staged=True),
        _category_entity(commerce_metadata, staged=True),
        *(_value_table(commerce_metadata, "catalog_product_entity", b, "row_id") for b in VALUE_TYPES),
        *(_value_table(commerce_metadata, "catalog_category_entity", b, "row_id") for b in VALUE_TYPES),
        _tier_price(commerce_metadata, "row_id"),
        _media_value(commerce_metadata, "row_id"),
        _media_to_entity(commerce_metadata, "row_id"),
    )
}
#: Where staged entities take their ids: one row per entity, whatever its number of versions.
sequence_product = Table("sequence_product", commerce_metadata, _pk("sequence_value"))
sequence_catalog_category = Table("sequence_catalog_category", commerce_metadata, _pk("sequence_value"))
for _table in metadata.sorted_tables:
    if _table.name not in STAGED_TABLES:
        _table.to_metadata(commerce_metadata)

#: Tables a database must have for the exporter to call it a Magento catalog.
REQUIRED_TABLES: tuple[str, ...] = (
    "store",
    "store_website",
    "store_group",
    "eav_entity_type",
    "eav_attribute",
    "catalog_eav_attribute",
    "catalog_product_entity",
    "catalog_product_website",
)

#: Open Source tables: everything but the Commerce-only ones.
OPEN_SOURCE_TABLES: tuple[Table, ...] = tuple(
    t for t in metadata.sorted_tables if t.name != "magento_catalogpermissions"
)
#: Adobe Commerce tables: staged catalog, sequences and catalog permissions.
COMMERCE_TABLES: tuple[Table, ...] = tuple(commerce_metadata.sorted_tables)


def id_between(column: ColumnElement[Any], lo: int, hi: int) -> ColumnElement[bool]:
    """``column BETWEEN lo AND hi`` with 64-bit bounds.

    Chunk ranges run up to 2**63-1; bound with the column's own type (a 32-bit INTEGER on
    PostgreSQL) that bound would overflow, so the bounds are typed BIGINT.
    """
    return column.between(literal(lo, BigInteger()), literal(hi, BigInteger()))


#: The Magento module whose ``etc/db_schema.xml`` declares a table (docs/magento-schema.md
#: §Tables), for an error that names a missing table; prefixes are tried longest first.
_MODULES = {
    "store": "Magento_Store",
    "customer_group": "Magento_Customer",
    "core_config_data": "Magento_Config",
    "eav_": "Magento_Eav",
    "catalog_eav_attribute": "Magento_Catalog",
    "catalog_product_super_": "Magento_ConfigurableProduct",
    "catalog_": "Magento_Catalog",
    "cataloginventory_": "Magento_CatalogInventory",
    "url_rewrite": "Magento_UrlRewrite",
    "sales_": "Magento_Sales",
    "magento_catalogpermissions": "Magento_CatalogPermissions, Adobe Commerce only",
    "sequence_": "Adobe Commerce staging",
}


def module_of(table: str) -> str:
    """Where a Magento 2.4 table comes from, e.g. ``Magento_Catalog`` (``?`` when unknown)."""
    for prefix in sorted(_MODULES, key=len, reverse=True):
        if table.startswith(prefix):
            return _MODULES[prefix]
    return "?"
