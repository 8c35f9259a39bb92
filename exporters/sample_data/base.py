"""The rows a fresh Magento 2.4 install has before any product exists.

Both the sample generator and the tests' hand-built catalogs start here, so this module knows
nothing about profiles and writes a few dozen rows only. Ids are Magento's: admin website,
group and store 0, website 1 ``base``, group 1 ``main_website_store`` rooted at category 2,
store view 1 ``default`` (InitializeStoresAndWebsites, InstallDefaultCategories); extra
websites, groups and views follow the toolkit's codes ``website_N``, ``store_group_N`` and
``store_view_N`` (docs/magento-schema.md §Stores).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection, Engine, Table

from exporters.sample_data.attributes import (
    CATEGORY_ATTRIBUTE_IDS,
    CATEGORY_ATTRIBUTES,
    CATEGORY_ENTITY_TYPE_ID,
    MEDIA_CODES,
    PRODUCT_ATTRIBUTE_IDS,
    PRODUCT_ATTRIBUTES,
    PRODUCT_ENTITY_TYPE_ID,
)
from exporters.sample_data.dialects import explicit_zero_ids, sync_sequences
from exporters.sample_data.errors import BadWebsiteCount, UnknownEdition
from exporters.sample_data.writer import BatchWriter
from exporters.source import schema as s

EDITIONS = ("opensource", "commerce")
#: Every timestamp of a sample catalog derives from this instant, so a seed fixes the whole catalog.
INSTALLED_AT = datetime(2024, 1, 1, 0, 0, 0)
BASE_URL = "http://magento.test/"

#: Magento's default customer groups, all with tax class 3 "Retail Customer"
#: (docs/magento-schema.md §Customer groups).
CUSTOMER_GROUPS: tuple[tuple[int, str], ...] = ((0, "NOT LOGGED IN"), (1, "General"), (2, "Wholesale"), (3, "Retailer"))
#: The tax classes Magento_Tax installs: products default to 2, customer groups use 3.
TAX_CLASSES: tuple[tuple[int, str, str], ...] = ((2, "Taxable Goods", "PRODUCT"), (3, "Retail Customer", "CUSTOMER"))
ROOT_CATEGORY_ID = 1
DEFAULT_CATEGORY_ID = 2
CATEGORY_ATTRIBUTE_SET_ID = 3
PRODUCT_ATTRIBUTE_SET_ID = 4
#: Attribute groups of the default sets: category "General Information", product "Product
#: Details" and "Images".
CATEGORY_GROUP_ID, PRODUCT_GROUP_ID, PRODUCT_IMAGES_GROUP_ID = 3, 7, 8


def tables_for(edition: str) -> tuple[Table, ...]:
    """The tables of an edition: Commerce stages the catalog by row_id, adds the sequence tables
    and magento_catalogpermissions.
    """
    if edition not in EDITIONS:
        raise UnknownEdition(edition, EDITIONS)
    return s.COMMERCE_TABLES if edition == "commerce" else s.OPEN_SOURCE_TABLES


def create_schema(engine: Engine, edition: str = "opensource") -> None:
    """Create the Magento tables of ``edition`` that do not exist yet."""
    metadata = s.commerce_metadata if edition == "commerce" else s.metadata
    metadata.create_all(engine, tables=list(tables_for(edition)))


def drop_schema(bind: Engine | Connection) -> None:
    """Drop every Magento table this project defines (of either edition); others stay."""
    s.commerce_metadata.drop_all(bind)
    s.metadata.drop_all(bind)


@dataclass(frozen=True, slots=True)
class StoreViewIds:
    store_id: int
    code: str
    website_id: int
    group_id: int


@dataclass(frozen=True)
class BaseIds:
    """The ids of an installed base, for whoever writes the catalog on top of it."""

    websites: tuple[int, ...]
    store_groups: tuple[int, ...]
    store_views: tuple[StoreViewIds, ...]
    website_codes: Mapping[int, str]
    customer_groups: tuple[int, ...] = tuple(g for g, _ in CUSTOMER_GROUPS)
    product_entity_type_id: int = PRODUCT_ENTITY_TYPE_ID
    category_entity_type_id: int = CATEGORY_ENTITY_TYPE_ID
    product_attribute_set_id: int = PRODUCT_ATTRIBUTE_SET_ID
    category_attribute_set_id: int = CATEGORY_ATTRIBUTE_SET_ID
    root_category_id: int = ROOT_CATEGORY_ID
    default_category_id: int = DEFAULT_CATEGORY_ID
    product_attributes: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(PRODUCT_ATTRIBUTE_IDS))
    category_attributes: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(CATEGORY_ATTRIBUTE_IDS))

    @property
    def store_ids(self) -> tuple[int, ...]:
        """Storefront store views (store 0, the admin, is not one)."""
        return tuple(v.store_id for v in self.store_views)

    def views_of(self, website_id: int) -> tuple[StoreViewIds, ...]:
        return tuple(v for v in self.store_views if v.website_id == website_id)


def install_base(
    conn: Connection,
    websites: int = 1,
    *,
    store_groups: int | None = None,
    store_views: int | None = None,
    edition: str = "opensource",
) -> BaseIds:
    """Write a fresh install's rows into empty tables (see ``create_schema``).

    ``websites``, ``store_groups`` and ``store_views`` count storefront scopes including the
    default ones, as the toolkit's profiles do; groups are spread round-robin over websites and
    views over groups. Every group uses the default root category 2. On ``commerce`` the root
    categories are staged like every other category.
    """
    groups = websites if store_groups is None else store_groups
    views = groups if store_views is None else store_views
    if min(websites, groups, views) < 1:
        raise BadWebsiteCount(min(websites, groups, views))
    layout = _StoreLayout(websites, groups, views)
    with explicit_zero_ids(conn):
        _insert(conn, s.store_website, layout.website_rows())
        _insert(conn, s.store_group, layout.group_rows())
        _insert(conn, s.store, layout.store_rows())
        _insert(
            conn,
            s.customer_group,
            [
                {"customer_group_id": gid, "customer_group_code": code, "tax_class_id": 3}
                for gid, code in CUSTOMER_GROUPS
            ],
        )
    _insert(
        conn,
        s.tax_class,
        [{"class_id": cid, "class_name": name, "class_type": kind} for cid, name, kind in TAX_CLASSES],
    )
    _insert(conn, s.core_config_data, _config_rows())
    _install_eav(conn)
    base_tables = [t for t in tables_for(edition) if t.name in _BASE_TABLE_NAMES]
    _install_root_categories(conn, staged=edition == "commerce")
    sync_sequences(conn, base_tables)
    return BaseIds(
        websites=tuple(range(1, websites + 1)),
        store_groups=tuple(range(1, groups + 1)),
        store_views=layout.views,
        website_codes=MappingProxyType({w: _website_code(w) for w in range(websites + 1)}),
    )


def _website_code(website_id: int) -> str:
    return {0: "admin", 1: "base"}.get(website_id, f"website_{website_id}")


class _StoreLayout:
    """Which website each group belongs to and which group each store view belongs to."""

    def __init__(self, websites: int, groups: int, views: int) -> None:
        self.websites = websites
        self.group_website = {g: (g - 1) % websites + 1 for g in range(1, groups + 1)}
        self.view_group = {v: (v - 1) % groups + 1 for v in range(1, views + 1)}
        self.views = tuple(
            StoreViewIds(v, "default" if v == 1 else f"store_view_{v}", self.group_website[g], g)
            for v, g in self.view_group.items()
        )

    def website_rows(self) -> list[dict[str, Any]]:
        rows = [
            {"website_id": 0, "code": "admin", "name": "Admin", "sort_order": 0, "default_group_id": 0, "is_default": 0}
        ]
        for w in range(1, self.websites + 1):
            first_group = min((g for g, gw in self.group_website.items() if gw == w), default=0)
            rows.append(
                {
                    "website_id": w,
                    "code": _website_code(w),
                    "name": "Main Website" if w == 1 else f"Website {w}",
                    "sort_order": w,
                    "default_group_id": first_group,
                    "is_default": int(w == 1),
                }
            )
        return rows

    def group_rows(self) -> list[dict[str, Any]]:
        rows = [
            {
                "group_id": 0,
                "website_id": 0,
                "name": "Default",
                "root_category_id": 0,
                "default_store_id": 0,
                "code": "default",
            }
        ]
        for g, w in self.group_website.items():
            first_view = min((v for v, vg in self.view_group.items() if vg == g), default=0)
            rows.append(
                {
                    "group_id": g,
                    "website_id": w,
                    "name": "Main Website Store" if g == 1 else f"Store Group {g}",
                    "root_category_id": DEFAULT_CATEGORY_ID,
                    "default_store_id": first_view,
                    "code": "main_website_store" if g == 1 else f"store_group_{g}",
                }
            )
        return rows

    def store_rows(self) -> list[dict[str, Any]]:
        rows = [
            {
                "store_id": 0,
                "code": "admin",
                "website_id": 0,
                "group_id": 0,
                "name": "Admin",
                "sort_order": 0,
                "is_active": 1,
            }
        ]
        rows += [
            {
                "store_id": v.store_id,
                "code": v.code,
                "website_id": v.website_id,
                "group_id": v.group_id,
                "name": "Default Store View" if v.store_id == 1 else f"Store View {v.store_id}",
                "sort_order": v.store_id,
                "is_active": 1,
            }
            for v in self.views
        ]
        return rows


def _config_rows() -> list[dict[str, Any]]:
    settings = (
        ("web/unsecure/base_url", BASE_URL),
        ("web/secure/base_url", BASE_URL),
        ("currency/options/base", "USD"),
        ("currency/options/default", "USD"),
        ("currency/options/allow", "USD"),
        ("general/locale/code", "en_US"),
        ("catalog/price/scope", "0"),
    )
    return [
        {"config_id": i, "scope": "default", "scope_id": 0, "path": path, "value": value}
        for i, (path, value) in enumerate(settings, start=1)
    ]


def _install_eav(conn: Connection) -> None:
    """Magento's four entity types with their default sets and groups, then the attributes."""
    _install_entity_types(conn)
    _install_attribute_groups(conn)
    _install_attributes(conn)


def _install_entity_types(conn: Connection) -> None:
    types = (
        (1, "customer", "Magento\\Customer\\Model\\ResourceModel\\Customer", "customer_entity", 1),
        (2, "customer_address", "Magento\\Customer\\Model\\ResourceModel\\Address", "customer_address_entity", 2),
        (
            CATEGORY_ENTITY_TYPE_ID,
            "catalog_category",
            "Magento\\Catalog\\Model\\ResourceModel\\Category",
            "catalog_category_entity",
            CATEGORY_ATTRIBUTE_SET_ID,
        ),
        (
            PRODUCT_ENTITY_TYPE_ID,
            "catalog_product",
            "Magento\\Catalog\\Model\\ResourceModel\\Product",
            "catalog_product_entity",
            PRODUCT_ATTRIBUTE_SET_ID,
        ),
    )
    _insert(
        conn,
        s.eav_entity_type,
        [
            {
                "entity_type_id": i,
                "entity_type_code": code,
                "entity_model": model,
                "entity_table": table,
                "default_attribute_set_id": set_id,
            }
            for i, code, model, table, set_id in types
        ],
    )
    _insert(
        conn,
        s.eav_attribute_set,
        [
            {"attribute_set_id": i, "entity_type_id": i, "attribute_set_name": "Default", "sort_order": 2}
            for i, *_ in types
        ],
    )


def _install_attribute_groups(conn: Connection) -> None:
    _insert(
        conn,
        s.eav_attribute_group,
        [
            {
                "attribute_group_id": 1,
                "attribute_set_id": 1,
                "attribute_group_name": "General",
                "sort_order": 1,
                "attribute_group_code": "general",
            },
            {
                "attribute_group_id": 2,
                "attribute_set_id": 2,
                "attribute_group_name": "General",
                "sort_order": 1,
                "attribute_group_code": "general",
            },
            {
                "attribute_group_id": CATEGORY_GROUP_ID,
                "attribute_set_id": CATEGORY_ATTRIBUTE_SET_ID,
                "attribute_group_name": "General Information",
                "sort_order": 1,
                "attribute_group_code": "general-information",
            },
            {
                "attribute_group_id": PRODUCT_GROUP_ID,
                "attribute_set_id": PRODUCT_ATTRIBUTE_SET_ID,
                "attribute_group_name": "Product Details",
                "sort_order": 10,
                "attribute_group_code": "product-details",
            },
            {
                "attribute_group_id": PRODUCT_IMAGES_GROUP_ID,
                "attribute_set_id": PRODUCT_ATTRIBUTE_SET_ID,
                "attribute_group_name": "Images",
                "sort_order": 20,
                "attribute_group_code": "image-management",
            },
        ],
    )


def _install_attributes(conn: Connection) -> None:
    """Every category and product attribute, placed in its set's group."""
    attributes = [(CATEGORY_ENTITY_TYPE_ID, a) for a in CATEGORY_ATTRIBUTES]
    attributes += [(PRODUCT_ENTITY_TYPE_ID, a) for a in PRODUCT_ATTRIBUTES]
    _insert(conn, s.eav_attribute, [a.eav_row(t) for t, a in attributes])
    _insert(conn, s.catalog_eav_attribute, [a.catalog_row(position) for position, (_, a) in enumerate(attributes)])
    entity_attributes = []
    for position, (type_id, attribute) in enumerate(attributes):
        if type_id == CATEGORY_ENTITY_TYPE_ID:
            set_id, group_id = CATEGORY_ATTRIBUTE_SET_ID, CATEGORY_GROUP_ID
        else:
            set_id = PRODUCT_ATTRIBUTE_SET_ID
            group_id = PRODUCT_IMAGES_GROUP_ID if attribute.code in MEDIA_CODES else PRODUCT_GROUP_ID
        entity_attributes.append(
            {
                "entity_attribute_id": position + 1,
                "entity_type_id": type_id,
                "attribute_set_id": set_id,
                "attribute_group_id": group_id,
                "attribute_id": attribute.attribute_id,
                "sort_order": position,
            }
        )
    _insert(conn, s.eav_entity_attribute, entity_attributes)


def _install_root_categories(conn: Connection, staged: bool) -> None:
    writer = BatchWriter(conn, staged=staged)
    common = {
        "attribute_set_id": CATEGORY_ATTRIBUTE_SET_ID,
        "created_at": INSTALLED_AT,
        "updated_at": INSTALLED_AT,
        "position": 0,
    }
    for row in (
        {**common, "entity_id": ROOT_CATEGORY_ID, "parent_id": 0, "path": "1", "level": 0, "children_count": 1},
        {
            **common,
            "entity_id": DEFAULT_CATEGORY_ID,
            "parent_id": ROOT_CATEGORY_ID,
            "path": "1/2",
            "level": 1,
            "children_count": 0,
        },
    ):
        writer.add(s.catalog_category_entity, row)
    ids = CATEGORY_ATTRIBUTE_IDS
    values: dict[str, list[tuple[int, str, Any]]] = {
        "varchar": [
            (ROOT_CATEGORY_ID, "name", "Root Catalog"),
            (DEFAULT_CATEGORY_ID, "name", "Default Category"),
            (DEFAULT_CATEGORY_ID, "display_mode", "PRODUCTS"),
        ],
        "int": [
            (DEFAULT_CATEGORY_ID, "is_active", 1),
            (DEFAULT_CATEGORY_ID, "include_in_menu", 1),
            (DEFAULT_CATEGORY_ID, "is_anchor", 1),
        ],
    }
    for backend_type, triples in values.items():
        for entity_id, code, value in triples:
            writer.value(s.category_values[backend_type], entity_id, ids[code], 0, value)
    writer.flush()


def _insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    conn.execute(table.insert(), list(rows))


#: The tables install_base writes, by name: their staged twins on Commerce.
_BASE_TABLE_NAMES: frozenset[str] = frozenset(
    (
        s.store_website.name,
        s.store_group.name,
        s.store.name,
        s.customer_group.name,
        s.tax_class.name,
        s.core_config_data.name,
        s.eav_entity_type.name,
        s.eav_attribute_set.name,
        s.eav_attribute_group.name,
        s.eav_attribute.name,
        s.eav_entity_attribute.name,
        s.catalog_category_entity.name,
        s.category_values["varchar"].name,
        s.category_values["int"].name,
        s.sequence_catalog_category.name,
    )
)
