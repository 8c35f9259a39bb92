"""User-defined product attributes: the toolkit's attribute sets and the configurable attributes.

Option labels are deliberately uneven so that the exporter's label fallback is exercised:
of every three options one has a label in every store view, one only in the first store view
and one none at all (the admin label must then be used). The last attribute of each set is a
multiselect, stored as comma-separated option ids in ``catalog_product_entity_text``, as Magento
2.4 does since UpdateMultiselectAttributesBackendTypes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exporters.sample_data.attributes import (
    ARRAY_BACKEND,
    FIRST_USER_ATTRIBUTE_ID,
    GLOBAL,
    MEDIA_CODES,
    PRODUCT_ATTRIBUTE_IDS,
    PRODUCT_ATTRIBUTES,
    PRODUCT_ENTITY_TYPE_ID,
    STORE,
    TABLE_SOURCE,
    WEBSITE,
    AttributeDef,
)
from exporters.sample_data.base import PRODUCT_ATTRIBUTE_SET_ID, PRODUCT_GROUP_ID, BaseIds, StoreViewIds
from exporters.sample_data.profiles import CONFIGURABLE_OPTIONS, Profile
from exporters.sample_data.swatches import TEXT_SWATCH, VISUAL_SWATCH, write_swatches
from exporters.sample_data.writer import BatchWriter
from exporters.source import schema as s

SWATCH_LABELS = ("Red", "Green", "Blue", "Black", "White", "Yellow", "Purple", "Orange")
SIZE_LABELS = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL", "5XL")
COLOR_LABELS = ("Black", "White", "Red", "Blue", "Green", "Yellow")
MANUFACTURER_LABELS = ("Acme", "Globex", "Initech", "Umbrella", "Soylent")


@dataclass(frozen=True, slots=True)
class Option:
    option_id: int
    label: str


@dataclass(frozen=True, slots=True)
class UserAttribute:
    attribute_id: int
    code: str
    label: str
    frontend_input: str
    backend_type: str
    scope: int
    options: tuple[Option, ...]

    @property
    def option_ids(self) -> tuple[int, ...]:
        return tuple(o.option_id for o in self.options)


@dataclass(frozen=True, slots=True)
class ProductSet:
    attribute_set_id: int
    attributes: tuple[UserAttribute, ...]


@dataclass(frozen=True)
class AttributeCatalog:
    """What the product writer needs to know about the attributes it fills."""

    sets: tuple[ProductSet, ...]
    configurable: tuple[UserAttribute, UserAttribute]
    color: UserAttribute
    manufacturer: UserAttribute


class _AttributeWriter:
    def __init__(self, writer: BatchWriter, views: Sequence[StoreViewIds]) -> None:
        self.writer = writer
        self.views = views
        self.next_attribute_id = FIRST_USER_ATTRIBUTE_ID

    def options(self, attribute_id: int, labels: Sequence[str]) -> tuple[Option, ...]:
        """Options with an admin label each and store labels on two options of every three."""
        w = self.writer
        options = []
        for position, label in enumerate(labels):
            option_id = w.next_id(s.eav_attribute_option)
            w.add(
                s.eav_attribute_option, {"option_id": option_id, "attribute_id": attribute_id, "sort_order": position}
            )
            labelled = {0: self.views, 1: self.views[:1]}.get(position % 3, ())
            for store_id, value in ((0, label), *((v.store_id, f"{label} ({v.code})") for v in labelled)):
                w.add(
                    s.eav_attribute_option_value,
                    {
                        "value_id": w.next_id(s.eav_attribute_option_value),
                        "option_id": option_id,
                        "store_id": store_id,
                        "value": value,
                    },
                )
            options.append(Option(option_id, label))
        return tuple(options)

    def create(
        self,
        code: str,
        label: str,
        frontend_input: str,
        scope: int,
        labels: Sequence[str],
        *,
        store_labels: bool = False,
        additional_data: str | None = None,
    ) -> UserAttribute:
        attribute_id = self.next_attribute_id
        self.next_attribute_id += 1
        multiselect = frontend_input == "multiselect"
        definition = AttributeDef(
            attribute_id,
            code,
            "text" if multiselect else "int",
            frontend_input,
            label,
            scope,
            source_model=None if multiselect else TABLE_SOURCE,
            backend_model=ARRAY_BACKEND if multiselect else None,
            user_defined=True,
            searchable=True,
            filterable=True,
            comparable=True,
            visible_on_front=True,
            in_listing=True,
        )
        self.writer.add(s.eav_attribute, definition.eav_row(PRODUCT_ENTITY_TYPE_ID))
        self.writer.add(s.catalog_eav_attribute, {**definition.catalog_row(), "additional_data": additional_data})
        if store_labels:
            for view in self.views:
                self.writer.add(
                    s.eav_attribute_label,
                    {
                        "attribute_label_id": self.writer.next_id(s.eav_attribute_label),
                        "attribute_id": attribute_id,
                        "store_id": view.store_id,
                        "value": f"{label} ({view.code})",
                    },
                )
        return UserAttribute(
            attribute_id,
            code,
            label,
            frontend_input,
            definition.backend_type,
            scope,
            self.options(attribute_id, labels),
        )

    def place(self, set_id: int, group_id: int, attribute_id: int, position: int) -> None:
        self.writer.add(
            s.eav_entity_attribute,
            {
                "entity_attribute_id": self.writer.next_id(s.eav_entity_attribute),
                "entity_type_id": PRODUCT_ENTITY_TYPE_ID,
                "attribute_set_id": set_id,
                "attribute_group_id": group_id,
                "attribute_id": attribute_id,
                "sort_order": position,
            },
        )


def write_attribute_catalog(writer: BatchWriter, base: BaseIds, profile: Profile) -> AttributeCatalog:
    """Options for color and manufacturer, the two configurable attributes, and the attribute sets."""
    aw = _AttributeWriter(writer, base.store_views)
    color, manufacturer = (
        UserAttribute(
            PRODUCT_ATTRIBUTE_IDS[code],
            code,
            code.title(),
            "select",
            "int",
            GLOBAL,
            aw.options(PRODUCT_ATTRIBUTE_IDS[code], labels),
        )
        for code, labels in (("color", COLOR_LABELS), ("manufacturer", MANUFACTURER_LABELS))
    )
    swatch_count, size_count = CONFIGURABLE_OPTIONS
    configurable = (
        aw.create(
            "configurable_swatch",
            "Swatch",
            "select",
            GLOBAL,
            SWATCH_LABELS[:swatch_count],
            store_labels=True,
            additional_data=VISUAL_SWATCH,
        ),
        aw.create("configurable_size", "Size", "select", GLOBAL, SIZE_LABELS[:size_count], additional_data=TEXT_SWATCH),
    )
    write_swatches(writer, *configurable, base.store_views)
    for position, attribute in enumerate(configurable, start=len(PRODUCT_ATTRIBUTES)):
        aw.place(PRODUCT_ATTRIBUTE_SET_ID, PRODUCT_GROUP_ID, attribute.attribute_id, position)
    sets = tuple(_attribute_set(aw, number, profile) for number in range(1, profile.attribute_sets + 1))
    return AttributeCatalog(sets=sets, configurable=configurable, color=color, manufacturer=manufacturer)


def _attribute_set(aw: _AttributeWriter, number: int, profile: Profile) -> ProductSet:
    """One toolkit attribute set: Magento's attributes plus its own selects and one multiselect."""
    w = aw.writer
    set_id = w.next_id(s.eav_attribute_set)
    w.add(
        s.eav_attribute_set,
        {
            "attribute_set_id": set_id,
            "entity_type_id": PRODUCT_ENTITY_TYPE_ID,
            "attribute_set_name": f"Attribute Set {number}",
            "sort_order": 0,
        },
    )
    groups = {}
    for position, (code, name) in enumerate((("product-details", "Product Details"), ("image-management", "Images"))):
        groups[code] = group_id = w.next_id(s.eav_attribute_group)
        w.add(
            s.eav_attribute_group,
            {
                "attribute_group_id": group_id,
                "attribute_set_id": set_id,
                "attribute_group_name": name,
                "sort_order": (position + 1) * 10,
                "attribute_group_code": code,
            },
        )
    for position, standard in enumerate(PRODUCT_ATTRIBUTES):
        group = "image-management" if standard.code in MEDIA_CODES else "product-details"
        aw.place(set_id, groups[group], standard.attribute_id, position)
    attributes = []
    count = profile.attributes_per_set
    for index in range(1, count + 1):
        multiselect = count >= 2 and index == count
        scope = STORE if multiselect else (STORE, GLOBAL, WEBSITE)[index % 3]
        labels = [f"Set {number} Attr {index} Option {k}" for k in range(1, profile.values_per_attribute + 1)]
        attribute = aw.create(
            f"attribute_set{number}_{index}",
            f"Set {number} Attribute {index}",
            "multiselect" if multiselect else "select",
            scope,
            labels,
            store_labels=index % 2 == 1,
        )
        aw.place(set_id, groups["product-details"], attribute.attribute_id, len(PRODUCT_ATTRIBUTES) + index)
        attributes.append(attribute)
    return ProductSet(set_id, tuple(attributes))
