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
DEC20_6 = Numeric(20, 6)


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
#: Product and customer tax classes (Magento_Tax); the products feed sends a product's class name.
tax_class = Table(
    "tax_class",
    metadata,
    _pk("class_id", _variant(Integer(), mysql.SMALLINT())),
    Column("class_name", String(255), nullable=False),
    Column("class_type", String(8), nullable=False, server_default="CUSTOMER"),
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
    #: JSON of the swatch settings (``{"swatch_input_type":"visual",...}``), NULL for other attributes.
    Column("additional_data", Text),
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
#: Swatches (Magento_Swatches): type 0 text, 1 visual colour (``#rrggbb``), 2 visual image (a media path).
eav_attribute_option_swatch = Table(
    "eav_attribute_option_swatch",
    metadata,
    _pk("swatch_id"),
    Column("option_id", INT10U, nullable=False, index=True),
    Column("store_id", SI5U, nullable=False),
    Column("type", SI5U, nullable=False),
    Column("value", String(255)),
    UniqueConstraint("store_id", "option_id"),
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
#: Link types (Magento_Catalog data patch): 1 relation, 3 super (grouped), 4 up_sell, 5 cross_sell.
catalog_product_link_type = Table(
    "catalog_product_link_type",
    metadata,
    _pk("link_type_id", SI5U),
    Column("code", String(32)),
)
#: Attributes of product links (``position`` of every type, ``qty`` of grouped links) and their values.
catalog_product_link_attribute = Table(
    "catalog_product_link_attribute",
    metadata,
    _pk("product_link_attribute_id", SI5U),
    Column("link_type_id", SI5U, nullable=False, server_default="0", index=True),
    Column("product_link_attribute_code", String(32)),
    Column("data_type", String(32)),
)
catalog_product_link_attribute_decimal = Table(
    "catalog_product_link_attribute_decimal",
    metadata,
    _pk("value_id"),
    Column("product_link_attribute_id", SI5U),
    Column("link_id", INT10U, nullable=False, index=True),
    Column("value", DEC20_6, nullable=False, server_default="0"),
    UniqueConstraint("product_link_attribute_id", "link_id"),
)
catalog_product_link_attribute_int = Table(
    "catalog_product_link_attribute_int",
    metadata,
    _pk("value_id"),
    Column("product_link_attribute_id", SI5U),
    Column("link_id", INT10U, nullable=False, index=True),
    Column("value", Integer, nullable=False, server_default="0"),
    UniqueConstraint("product_link_attribute_id", "link_id"),
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


# --- custom options (Magento_Catalog) and bundle options (Magento_Bundle) ---------------------------
#: Their product side (``product_id``, ``parent_id``, ``parent_product_id``) is the product's link
#: field (``row_id`` when staged); a bundle selection's ``product_id`` is the child's entity id.
catalog_product_option = Table(
    "catalog_product_option",
    metadata,
    _pk("option_id"),
    Column("product_id", INT10U, nullable=False, server_default="0", index=True),
    Column("type", String(50)),
    Column("is_require", SmallInteger, nullable=False, server_default="1"),
    Column("sku", String(64)),
    Column("max_characters", INT10U),
    Column("file_extension", String(50)),
    Column("image_size_x", SI5U),
    Column("image_size_y", SI5U),
    Column("sort_order", INT10U, nullable=False, server_default="0"),
)
catalog_product_option_price = Table(
    "catalog_product_option_price",
    metadata,
    _pk("option_price_id"),
    Column("option_id", INT10U, nullable=False, server_default="0"),
    Column("store_id", SI5U, nullable=False, server_default="0"),
    Column("price", DEC20_6, nullable=False, server_default="0"),
    Column("price_type", String(7), nullable=False, server_default="fixed"),
    UniqueConstraint("option_id", "store_id"),
)
catalog_product_option_title = Table(
    "catalog_product_option_title",
    metadata,
    _pk("option_title_id"),
    Column("option_id", INT10U, nullable=False, server_default="0"),
    Column("store_id", SI5U, nullable=False, server_default="0"),
    Column("title", String(255)),
    UniqueConstraint("option_id", "store_id"),
)
catalog_product_option_type_value = Table(
    "catalog_product_option_type_value",
    metadata,
    _pk("option_type_id"),
    Column("option_id", INT10U, nullable=False, server_default="0", index=True),
    Column("sku", String(64)),
    Column("sort_order", INT10U, nullable=False, server_default="0"),
)
catalog_product_option_type_price = Table(
    "catalog_product_option_type_price",
    metadata,
    _pk("option_type_price_id"),
    Column("option_type_id", INT10U, nullable=False, server_default="0"),
    Column("store_id", SI5U, nullable=False, server_default="0"),
    Column("price", DEC20_6, nullable=False, server_default="0"),
    Column("price_type", String(7), nullable=False, server_default="fixed"),
    UniqueConstraint("option_type_id", "store_id"),
)
catalog_product_option_type_title = Table(
    "catalog_product_option_type_title",
    metadata,
    _pk("option_type_title_id"),
    Column("option_type_id", INT10U, nullable=False, server_default="0"),
    Column("store_id", SI5U, nullable=False, server_default="0"),
    Column("title", String(255)),
    UniqueConstraint("option_type_id", "store_id"),
)
catalog_product_bundle_option = Table(
    "catalog_product_bundle_option",
    metadata,
    _pk("option_id"),
    Column("parent_id", INT10U, nullable=False, index=True),
    Column("required", SI5U, nullable=False, server_default="0"),
    Column("position", INT10U, nullable=False, server_default="0"),
    Column("type", String(255)),
)
catalog_product_bundle_option_value = Table(
    "catalog_product_bundle_option_value",
    metadata,
    _pk("value_id"),
    Column("option_id", INT10U, nullable=False),
    Column("store_id", SI5U, nullable=False),
    Column("title", String(255)),
    Column("parent_product_id", INT10U, nullable=False),
    UniqueConstraint("option_id", "parent_product_id", "store_id"),
)
catalog_product_bundle_selection = Table(
    "catalog_product_bundle_selection",
    metadata,
    _pk("selection_id"),
    Column("option_id", INT10U, nullable=False, index=True),
    Column("parent_product_id", INT10U, nullable=False),
    Column("product_id", INT10U, nullable=False, index=True),
    Column("position", INT10U, nullable=False, server_default="0"),
    Column("is_default", SI5U, nullable=False, server_default="0"),
    Column("selection_price_type", SI5U, nullable=False, server_default="0"),
    Column("selection_price_value", DEC12_4, nullable=False, server_default="0"),
    Column("selection_qty", DEC12_4),
    Column("selection_can_change_qty", SmallInteger, nullable=False, server_default="0"),
)
catalog_product_bundle_selection_price = Table(
    "catalog_product_bundle_selection_price",
    metadata,
    Column("selection_id", INT10U, nullable=False),
    Column("website_id", SI5U, nullable=False),
    Column("selection_price_type", SI5U, nullable=False, server_default="0"),
    Column("selection_price_value", DEC20_6, nullable=False, server_default="0"),
    Column("parent_product_id", INT10U, nullable=False),
    PrimaryKeyConstraint("selection_id", "parent_product_id", "website_id"),
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
#: External videos of gallery rows with ``media_type = 'external-video'`` (Magento_ProductVideo), per store.
catalog_product_entity_media_gallery_value_video = Table(
    "catalog_product_entity_media_gallery_value_video",
    metadata,
    Column("value_id", INT10U, nullable=False),
    Column("store_id", SI5U, nullable=False, server_default="0"),
    Column("provider", String(32)),
    Column("url", Text),
    Column("title", String(255)),
    Column("description", Text),
    Column("metadata", Text),
    UniqueConstraint("value_id", "store_id"),
)

# --- downloadable products (Magento_Downloadable) -----------------------------------------------------
#: ``product_id`` is the product's link field (``row_id`` when staged).
downloadable_link = Table(
    "downloadable_link",
    metadata,
    _pk("link_id"),
    Column("product_id", INT10U, nullable=False, server_default="0", index=True),
    Column("sort_order", INT10U, nullable=False, server_default="0"),
    Column("number_of_downloads", Integer),
    Column("is_shareable", SI5U, nullable=False, server_default="0"),
    Column("link_url", String(255)),
    Column("link_file", String(255)),
    Column("link_type", String(20)),
    Column("sample_url", String(255)),
    Column("sample_file", String(255)),
    Column("sample_type", String(20)),
)
downloadable_link_title = Table(
    "downloadable_link_title",
    metadata,
    _pk("title_id"),
    Column("link_id", INT10U, nullable=False, server_default="0"),
    Column("store_id", SI5U, nullable=False, server_default="0"),
    Column("title", String(255)),
    UniqueConstraint("link_id", "store_id"),
)
downloadable_link_price = Table(
    "downloadable_link_price",
    metadata,
    _pk("price_id"),
    Column("link_id", INT10U, nullable=False, server_default="0"),
    Column("website_id", SI5U, nullable=False, server_default="0"),
    Column("price", DEC20_6, nullable=False, server_default="0"),
    UniqueConstraint("link_id", "website_id"),
)
downloadable_sample = Table(
    "downloadable_sample",
    metadata,
    _pk("sample_id"),
    Column("product_id", INT10U, nullable=False, server_default="0", index=True),
    Column("sample_url", String(255)),
    Column("sample_file", String(255)),
    Column("sample_type", String(20)),
    Column("sort_order", INT10U, nullable=False, server_default="0"),
)
downloadable_sample_title = Table(
    "downloadable_sample_title",
    metadata,
    _pk("title_id"),
    Column("sample_id", INT10U, nullable=False, server_default="0"),
    Column("store_id", SI5U, nullable=False, server_default="0"),
    Column("title", String(255)),
    UniqueConstraint("sample_id", "store_id"),
)

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
    Column("protect_code", String(255)),
    Column("shipping_description", String(255)),
    Column("shipping_method", String(120)),
    Column("is_virtual", SI5U),
    Column("base_discount_amount", DEC20_4),
    Column("base_shipping_amount", DEC20_4),
    Column("base_shipping_tax_amount", DEC20_4),
    Column("base_subtotal", DEC20_4),
    Column("base_tax_amount", DEC20_4),
    Column("base_total_invoiced", DEC20_4),
    Column("customer_note", Text),
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
    Column("product_options", LONGTEXT),
    Column("weight", DEC12_4, server_default="0"),
    Column("is_virtual", SI5U),
    Column("additional_data", Text),
    Column("qty_backordered", DEC12_4, server_default="0"),
    Column("qty_canceled", DEC12_4, server_default="0"),
    Column("qty_invoiced", DEC12_4, server_default="0"),
    Column("qty_refunded", DEC12_4, server_default="0"),
    Column("qty_shipped", DEC12_4, server_default="0"),
    Column("base_row_total", DEC20_4, nullable=False, server_default="0"),
    Column("base_discount_amount", DEC20_4, server_default="0"),
    Column("base_tax_amount", DEC20_4, server_default="0"),
    Column("base_row_total_incl_tax", DEC20_4),
)
#: Billing and shipping addresses of an order (``address_type`` "billing" / "shipping").
sales_order_address = Table(
    "sales_order_address",
    metadata,
    _pk("entity_id"),
    Column("parent_id", INT10U, index=True),
    Column("region", String(255)),
    Column("postcode", String(255)),
    Column("lastname", String(255)),
    Column("street", String(255)),
    Column("city", String(255)),
    Column("email", String(255)),
    Column("telephone", String(255)),
    Column("country_id", String(2)),
    Column("firstname", String(255)),
    Column("address_type", String(255)),
)
#: An order's applied taxes (one row per tax rate) and the amounts per line or shipping.
sales_order_tax = Table(
    "sales_order_tax",
    metadata,
    _pk("tax_id"),
    Column("order_id", INT10U, nullable=False, index=True),
    Column("code", String(255)),
    Column("title", String(255)),
    Column("percent", DEC12_4),
    Column("amount", DEC20_4),
    Column("priority", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("base_amount", DEC20_4),
    Column("process", SmallInteger, nullable=False),
    Column("base_real_amount", DEC20_4),
)
sales_order_tax_item = Table(
    "sales_order_tax_item",
    metadata,
    _pk("tax_item_id"),
    Column("tax_id", INT10U, nullable=False),
    Column("item_id", INT10U, index=True),
    Column("tax_percent", DEC12_4, nullable=False),
    Column("amount", DEC20_4, nullable=False),
    Column("base_amount", DEC20_4, nullable=False),
    Column("real_amount", DEC20_4, nullable=False),
    Column("real_base_amount", DEC20_4, nullable=False),
    Column("associated_item_id", INT10U),
    Column("taxable_item_type", String(32), nullable=False),
    UniqueConstraint("tax_id", "item_id"),
)
sales_order_payment = Table(
    "sales_order_payment",
    metadata,
    _pk("entity_id"),
    Column("parent_id", INT10U, nullable=False, index=True),
    Column("base_amount_paid_online", DEC20_4),
    Column("base_amount_refunded_online", DEC20_4),
    Column("base_amount_authorized", DEC20_4),
    Column("base_amount_paid", DEC20_4),
    Column("base_amount_refunded", DEC20_4),
    Column("base_amount_canceled", DEC20_4),
    Column("base_amount_ordered", DEC20_4),
    Column("method", String(128)),
    Column("additional_information", Text),
)
sales_payment_transaction = Table(
    "sales_payment_transaction",
    metadata,
    _pk("transaction_id"),
    Column("parent_id", INT10U),
    Column("order_id", INT10U, nullable=False, server_default="0"),
    Column("payment_id", INT10U, nullable=False, server_default="0"),
    Column("txn_id", String(100)),
    Column("parent_txn_id", String(100)),
    Column("txn_type", String(15)),
    Column("is_closed", SI5U, nullable=False, server_default="1"),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("order_id", "payment_id", "txn_id"),
)
sales_invoice = Table(
    "sales_invoice",
    metadata,
    _pk("entity_id"),
    Column("store_id", SI5U),
    Column("base_grand_total", DEC20_4),
    Column("grand_total", DEC20_4),
    Column("order_id", INT10U, nullable=False, index=True),
    Column("state", Integer),
    Column("is_used_for_refund", SI5U),
    Column("increment_id", String(50)),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("increment_id", "store_id"),
)
sales_invoice_item = Table(
    "sales_invoice_item",
    metadata,
    _pk("entity_id"),
    Column("parent_id", INT10U, nullable=False, index=True),
    Column("base_price", DEC20_4),
    Column("base_row_total", DEC20_4),
    Column("qty", DEC12_4),
    Column("product_id", Integer),
    Column("order_item_id", Integer),
    Column("sku", String(255)),
    Column("name", String(255)),
)
sales_creditmemo = Table(
    "sales_creditmemo",
    metadata,
    _pk("entity_id"),
    Column("store_id", SI5U),
    Column("base_adjustment_positive", DEC20_4),
    Column("base_adjustment_negative", DEC20_4),
    Column("base_adjustment", DEC20_4),
    Column("base_shipping_amount", DEC20_4),
    Column("base_shipping_tax_amount", DEC20_4),
    Column("base_subtotal", DEC20_4),
    Column("base_tax_amount", DEC20_4),
    Column("base_grand_total", DEC20_4),
    Column("grand_total", DEC20_4),
    Column("order_id", INT10U, nullable=False, index=True),
    Column("state", Integer),
    Column("increment_id", String(50)),
    Column("base_currency_code", String(3)),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("increment_id", "store_id"),
)
sales_creditmemo_item = Table(
    "sales_creditmemo_item",
    metadata,
    _pk("entity_id"),
    Column("parent_id", INT10U, nullable=False, index=True),
    Column("base_price", DEC20_4),
    Column("base_row_total", DEC20_4),
    Column("base_discount_amount", DEC20_4),
    Column("qty", DEC12_4),
    Column("product_id", Integer),
    Column("order_item_id", Integer),
    Column("sku", String(255)),
    Column("name", String(255)),
)
sales_creditmemo_comment = Table(
    "sales_creditmemo_comment",
    metadata,
    _pk("entity_id"),
    Column("parent_id", INT10U, nullable=False, index=True),
    Column("is_customer_notified", Integer),
    Column("is_visible_on_front", SI5U, nullable=False, server_default="0"),
    Column("comment", Text),
    Column("created_at", DateTime, nullable=False),
)
sales_shipment = Table(
    "sales_shipment",
    metadata,
    _pk("entity_id"),
    Column("store_id", SI5U),
    Column("total_qty", DEC12_4),
    Column("order_id", INT10U, nullable=False, index=True),
    Column("increment_id", String(50)),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("increment_id", "store_id"),
)
sales_shipment_item = Table(
    "sales_shipment_item",
    metadata,
    _pk("entity_id"),
    Column("parent_id", INT10U, nullable=False, index=True),
    Column("qty", DEC12_4),
    Column("product_id", Integer),
    Column("order_item_id", Integer),
    Column("sku", String(255)),
    Column("name", String(255)),
)
sales_shipment_track = Table(
    "sales_shipment_track",
    metadata,
    _pk("entity_id"),
    Column("parent_id", INT10U, nullable=False, index=True),
    Column("order_id", INT10U, nullable=False, index=True),
    Column("track_number", Text),
    Column("title", String(255)),
    Column("carrier_code", String(32)),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
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


#: The Magento module that declares a table (docs/magento-schema.md
#: §Tables), for an error that names a missing table; prefixes are tried longest first.
_MODULES = {
    "store": "Magento_Store",
    "customer_group": "Magento_Customer",
    "core_config_data": "Magento_Config",
    "tax_class": "Magento_Tax",
    "eav_": "Magento_Eav",
    "catalog_eav_attribute": "Magento_Catalog",
    "catalog_product_entity_media_gallery_value_video": "Magento_ProductVideo",
    "downloadable_": "Magento_Downloadable",
    "catalog_product_super_": "Magento_ConfigurableProduct",
    "catalog_product_bundle_": "Magento_Bundle",
    "eav_attribute_option_swatch": "Magento_Swatches",
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
