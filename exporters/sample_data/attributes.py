"""Magento's own catalog attributes, with the ids, types and scopes of a default 2.4 install.

The ids are those of a real install (docs/magento-schema.md §Attributes) so that a query or a
test written against a real database reads the same attribute here; code that *reads* a catalog
must still look attributes up by code, which is why the exporter never relies on these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Scope values of catalog_eav_attribute.is_global (ScopedAttributeInterface).
STORE, GLOBAL, WEBSITE = 0, 1, 2

PRODUCT_ENTITY_TYPE_ID = 4
CATEGORY_ENTITY_TYPE_ID = 3

_BOOLEAN = "Magento\\Eav\\Model\\Entity\\Attribute\\Source\\Boolean"
_PRICE_BACKEND = "Magento\\Catalog\\Model\\Product\\Attribute\\Backend\\Price"
_IMAGE_FRONTEND = "Magento\\Catalog\\Model\\Product\\Attribute\\Frontend\\Image"
_SORT_BY = "Magento\\Catalog\\Model\\Category\\Attribute\\Source\\Sortby"
#: Source model Magento gives every user-defined select: options live in eav_attribute_option.
TABLE_SOURCE = "Magento\\Eav\\Model\\Entity\\Attribute\\Source\\Table"
ARRAY_BACKEND = "Magento\\Eav\\Model\\Entity\\Attribute\\Backend\\ArrayBackend"


@dataclass(frozen=True, slots=True)
class AttributeDef:
    """One eav_attribute row and its catalog_eav_attribute row."""

    attribute_id: int
    code: str
    backend_type: str
    frontend_input: str | None
    label: str | None
    scope: int
    source_model: str | None = None
    backend_model: str | None = None
    frontend_model: str | None = None
    default_value: str | None = None
    required: bool = False
    user_defined: bool = False
    unique: bool = False
    visible: bool = True
    searchable: bool = False
    filterable: bool = False
    comparable: bool = False
    visible_on_front: bool = False
    html_allowed: bool = False
    in_listing: bool = False
    sortable: bool = False

    def eav_row(self, entity_type_id: int) -> dict[str, Any]:
        return {
            "attribute_id": self.attribute_id,
            "entity_type_id": entity_type_id,
            "attribute_code": self.code,
            "backend_model": self.backend_model,
            "backend_type": self.backend_type,
            "frontend_input": self.frontend_input,
            "frontend_label": self.label,
            "source_model": self.source_model,
            "is_required": int(self.required),
            "is_user_defined": int(self.user_defined),
            "default_value": self.default_value,
            "is_unique": int(self.unique),
        }

    def catalog_row(self, position: int = 0) -> dict[str, Any]:
        return {
            "attribute_id": self.attribute_id,
            "is_global": self.scope,
            "is_visible": int(self.visible),
            "is_searchable": int(self.searchable),
            "is_filterable": int(self.filterable),
            "is_comparable": int(self.comparable),
            "is_visible_on_front": int(self.visible_on_front),
            "is_html_allowed_on_front": int(self.html_allowed),
            "is_used_for_price_rules": 0,
            "is_filterable_in_search": int(self.filterable),
            "used_in_product_listing": int(self.in_listing),
            "used_for_sort_by": int(self.sortable),
            "is_visible_in_advanced_search": int(self.searchable),
            "position": position,
            "is_used_for_promo_rules": 0,
            "search_weight": 1,
        }


def _static(attribute_id: int, code: str, label: str | None = None, input_: str = "text") -> AttributeDef:
    return AttributeDef(attribute_id, code, "static", input_, label, GLOBAL, visible=False)


PRODUCT_ATTRIBUTES: tuple[AttributeDef, ...] = (
    AttributeDef(
        73,
        "name",
        "varchar",
        "text",
        "Product Name",
        STORE,
        required=True,
        searchable=True,
        in_listing=True,
        sortable=True,
        visible_on_front=True,
    ),
    AttributeDef(
        74,
        "sku",
        "static",
        "text",
        "SKU",
        GLOBAL,
        required=True,
        unique=True,
        searchable=True,
        in_listing=True,
        backend_model="Magento\\Catalog\\Model\\Product\\Attribute\\Backend\\Sku",
    ),
    AttributeDef(
        75, "description", "text", "textarea", "Description", STORE, searchable=True, html_allowed=True, comparable=True
    ),
    AttributeDef(
        76,
        "short_description",
        "text",
        "textarea",
        "Short Description",
        STORE,
        searchable=True,
        html_allowed=True,
        in_listing=True,
    ),
    AttributeDef(
        77,
        "price",
        "decimal",
        "price",
        "Price",
        GLOBAL,
        required=True,
        searchable=True,
        filterable=True,
        in_listing=True,
        sortable=True,
        backend_model=_PRICE_BACKEND,
    ),
    AttributeDef(
        78, "special_price", "decimal", "price", "Special Price", GLOBAL, in_listing=True, backend_model=_PRICE_BACKEND
    ),
    AttributeDef(
        79,
        "special_from_date",
        "datetime",
        "date",
        "Special Price From Date",
        WEBSITE,
        in_listing=True,
        backend_model="Magento\\Catalog\\Model\\Attribute\\Backend\\Startdate",
    ),
    AttributeDef(
        80,
        "special_to_date",
        "datetime",
        "date",
        "Special Price To Date",
        WEBSITE,
        in_listing=True,
        backend_model="Magento\\Eav\\Model\\Entity\\Attribute\\Backend\\Datetime",
    ),
    AttributeDef(81, "cost", "decimal", "price", "Cost", GLOBAL, user_defined=True, backend_model=_PRICE_BACKEND),
    AttributeDef(
        82,
        "weight",
        "decimal",
        "weight",
        "Weight",
        GLOBAL,
        in_listing=True,
        backend_model="Magento\\Catalog\\Model\\Product\\Attribute\\Backend\\Weight",
    ),
    AttributeDef(
        83,
        "manufacturer",
        "int",
        "select",
        "Manufacturer",
        GLOBAL,
        user_defined=True,
        source_model=TABLE_SOURCE,
        searchable=True,
        filterable=True,
        comparable=True,
        visible_on_front=True,
    ),
    AttributeDef(84, "meta_title", "varchar", "text", "Meta Title", STORE),
    AttributeDef(85, "meta_keyword", "text", "textarea", "Meta Keywords", STORE),
    AttributeDef(86, "meta_description", "varchar", "textarea", "Meta Description", STORE),
    AttributeDef(87, "image", "varchar", "media_image", "Base", STORE, frontend_model=_IMAGE_FRONTEND, in_listing=True),
    AttributeDef(
        88, "small_image", "varchar", "media_image", "Small", STORE, frontend_model=_IMAGE_FRONTEND, in_listing=True
    ),
    AttributeDef(
        89, "thumbnail", "varchar", "media_image", "Thumbnail", STORE, frontend_model=_IMAGE_FRONTEND, in_listing=True
    ),
    _static(90, "media_gallery", "Media Gallery", "gallery"),
    AttributeDef(
        92,
        "tier_price",
        "decimal",
        "text",
        "Tier Price",
        WEBSITE,
        backend_model="Magento\\Catalog\\Model\\Product\\Attribute\\Backend\\Tierprice",
    ),
    AttributeDef(
        93,
        "color",
        "int",
        "select",
        "Color",
        GLOBAL,
        user_defined=True,
        source_model=TABLE_SOURCE,
        searchable=True,
        filterable=True,
        comparable=True,
        visible_on_front=True,
        in_listing=True,
    ),
    AttributeDef(94, "news_from_date", "datetime", "date", "Set Product as New from Date", WEBSITE, in_listing=True),
    AttributeDef(95, "news_to_date", "datetime", "date", "Set Product as New to Date", WEBSITE, in_listing=True),
    AttributeDef(
        97,
        "status",
        "int",
        "select",
        "Enable Product",
        WEBSITE,
        default_value="1",
        in_listing=True,
        source_model="Magento\\Catalog\\Model\\Product\\Attribute\\Source\\Status",
    ),
    AttributeDef(
        99,
        "visibility",
        "int",
        "select",
        "Visibility",
        STORE,
        default_value="4",
        source_model="Magento\\Catalog\\Model\\Product\\Visibility",
    ),
    _static(105, "category_ids", "Categories"),
    _static(107, "required_options"),
    _static(108, "has_options"),
    AttributeDef(109, "image_label", "varchar", "text", "Image Label", STORE, in_listing=True),
    AttributeDef(110, "small_image_label", "varchar", "text", "Small Image Label", STORE, in_listing=True),
    AttributeDef(111, "thumbnail_label", "varchar", "text", "Thumbnail Label", STORE, in_listing=True),
    _static(112, "created_at", None, "date"),
    _static(113, "updated_at", None, "date"),
    AttributeDef(
        114,
        "country_of_manufacture",
        "varchar",
        "select",
        "Country of Manufacture",
        WEBSITE,
        source_model="Magento\\Catalog\\Model\\Product\\Attribute\\Source\\Countryofmanufacture",
    ),
    AttributeDef(
        115,
        "quantity_and_stock_status",
        "int",
        "select",
        "Quantity",
        GLOBAL,
        default_value="1",
        source_model="Magento\\CatalogInventory\\Model\\Source\\Stock",
    ),
    AttributeDef(121, "url_key", "varchar", "text", "URL Key", STORE, in_listing=True),
    AttributeDef(122, "url_path", "varchar", "text", None, STORE, visible=False),
    # Magento_Downloadable's attributes (apply_to downloadable), as a 2.4 install declares them.
    AttributeDef(
        125,
        "links_purchased_separately",
        "int",
        None,
        "Links can be purchased separately",
        GLOBAL,
        required=True,
        visible=False,
        in_listing=True,
    ),
    AttributeDef(126, "samples_title", "varchar", None, "Samples title", STORE, required=True, visible=False),
    AttributeDef(127, "links_title", "varchar", None, "Links title", STORE, required=True, visible=False),
    AttributeDef(128, "links_exist", "int", None, None, GLOBAL, visible=False, in_listing=True),
    # Magento_Bundle's attributes (apply_to bundle): 0 dynamic / 1 fixed, and the price display.
    AttributeDef(129, "price_type", "int", "boolean", "Dynamic Price", GLOBAL, default_value="0", in_listing=True),
    AttributeDef(131, "weight_type", "int", "boolean", "Dynamic Weight", GLOBAL, default_value="0", in_listing=True),
    AttributeDef(
        132,
        "price_view",
        "int",
        "select",
        "Price View",
        GLOBAL,
        required=True,
        in_listing=True,
        source_model="Magento\\Bundle\\Model\\Product\\Attribute\\Source\\Price\\View",
    ),
    AttributeDef(
        135, "swatch_image", "varchar", "media_image", "Swatch", STORE, frontend_model=_IMAGE_FRONTEND, in_listing=True
    ),
    AttributeDef(
        136,
        "tax_class_id",
        "int",
        "select",
        "Tax Class",
        WEBSITE,
        default_value="2",
        searchable=True,
        in_listing=True,
        source_model="Magento\\Tax\\Model\\TaxClass\\Source\\Product",
    ),
)

CATEGORY_ATTRIBUTES: tuple[AttributeDef, ...] = (
    AttributeDef(45, "name", "varchar", "text", "Name", STORE, required=True),
    AttributeDef(46, "is_active", "int", "select", "Is Active", STORE, required=True, source_model=_BOOLEAN),
    AttributeDef(47, "description", "text", "textarea", "Description", STORE, html_allowed=True),
    AttributeDef(
        48,
        "image",
        "varchar",
        "image",
        "Image",
        STORE,
        backend_model="Magento\\Catalog\\Model\\Category\\Attribute\\Backend\\Image",
    ),
    AttributeDef(49, "meta_title", "varchar", "text", "Page Title", STORE),
    AttributeDef(50, "meta_keywords", "text", "textarea", "Meta Keywords", STORE),
    AttributeDef(51, "meta_description", "text", "textarea", "Meta Description", STORE),
    AttributeDef(
        52,
        "display_mode",
        "varchar",
        "select",
        "Display Mode",
        STORE,
        source_model="Magento\\Catalog\\Model\\Category\\Attribute\\Source\\Mode",
    ),
    AttributeDef(54, "is_anchor", "int", "select", "Is Anchor", GLOBAL, default_value="1", source_model=_BOOLEAN),
    _static(55, "path", "Path"),
    _static(56, "position", "Position"),
    _static(65, "level", "Level"),
    _static(66, "children_count", "Children Count"),
    AttributeDef(
        67,
        "available_sort_by",
        "text",
        "multiselect",
        "Available Product Listing Sort By",
        STORE,
        required=True,
        source_model=_SORT_BY,
        backend_model=_SORT_BY.replace("Source", "Backend"),
    ),
    AttributeDef(
        68,
        "default_sort_by",
        "varchar",
        "select",
        "Default Product Listing Sort By",
        STORE,
        required=True,
        source_model=_SORT_BY,
        backend_model=_SORT_BY.replace("Source", "Backend"),
    ),
    AttributeDef(
        69,
        "include_in_menu",
        "int",
        "select",
        "Include in Navigation Menu",
        STORE,
        required=True,
        default_value="1",
        source_model=_BOOLEAN,
    ),
    AttributeDef(119, "url_key", "varchar", "text", "URL Key", STORE),
    AttributeDef(120, "url_path", "varchar", "text", None, STORE, visible=False),
)

PRODUCT_ATTRIBUTE_IDS: dict[str, int] = {a.code: a.attribute_id for a in PRODUCT_ATTRIBUTES}
CATEGORY_ATTRIBUTE_IDS: dict[str, int] = {a.code: a.attribute_id for a in CATEGORY_ATTRIBUTES}
#: Media attributes sit in the "Images" group of an attribute set, everything else in the first.
MEDIA_CODES = frozenset(
    {
        "image",
        "small_image",
        "thumbnail",
        "swatch_image",
        "media_gallery",
        "image_label",
        "small_image_label",
        "thumbnail_label",
    }
)
#: The first id free for user-defined attributes, well above Magento's install ids.
FIRST_USER_ATTRIBUTE_ID = 200
