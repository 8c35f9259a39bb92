"""Swatches of the configurable attributes (Magento_Swatches' ``eav_attribute_option_swatch``).

The "Swatch" attribute is a visual swatch: a colour (type 1) per option, an image (type 2) on
every third one, and a colour of its own at the first store view on the second; "Size" is a
text swatch (type 0) showing its admin label. ``catalog_eav_attribute.additional_data`` says
which kind each attribute is, as Magento's admin saves it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exporters.sample_data.base import StoreViewIds
from exporters.sample_data.writer import BatchWriter
from exporters.source import schema as s

if TYPE_CHECKING:
    from exporters.sample_data.attribute_sets import UserAttribute

VISUAL_SWATCH = '{"swatch_input_type":"visual","update_product_preview_image":"1","use_product_image_for_swatch":"0"}'
TEXT_SWATCH = '{"swatch_input_type":"text","update_product_preview_image":"1","use_product_image_for_swatch":"0"}'
SWATCH_HEX = {
    "Red": "#ff0000",
    "Green": "#00ff00",
    "Blue": "#0000ff",
    "Black": "#000000",
    "White": "#ffffff",
    "Yellow": "#ffff00",
    "Purple": "#800080",
    "Orange": "#ffa500",
}


def write_swatches(
    writer: BatchWriter, swatch: UserAttribute, size: UserAttribute, views: tuple[StoreViewIds, ...]
) -> None:
    """Visual swatches for the swatch attribute, text swatches for the size attribute."""
    for index, option in enumerate(swatch.options):
        if index % 3 == 2:
            _swatch(writer, option.option_id, 0, 2, f"/s/w/swatch_{option.label.lower()}.png")
        else:
            _swatch(writer, option.option_id, 0, 1, SWATCH_HEX.get(option.label, "#808080"))
        if index == 1 and views:
            _swatch(writer, option.option_id, views[0].store_id, 1, "#123456")
    for option in size.options:
        _swatch(writer, option.option_id, 0, 0, option.label)


def _swatch(writer: BatchWriter, option_id: int, store_id: int, type_: int, value: str) -> None:
    writer.add(
        s.eav_attribute_option_swatch,
        {
            "swatch_id": writer.next_id(s.eav_attribute_option_swatch),
            "option_id": option_id,
            "store_id": store_id,
            "type": type_,
            "value": value,
        },
    )
