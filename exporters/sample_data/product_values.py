"""The store-0 (default) EAV values of a product: Magento's attributes and the user-defined ones.

Values are left out on purpose where Magento leaves them out: variants have no description
or meta data, configurables have no price or weight, half of the products have no meta
fields, a tenth of the user-defined attributes of a product are empty.
"""

from __future__ import annotations

from exporters.sample_data.attributes import PRODUCT_ATTRIBUTE_IDS as ATTR
from exporters.sample_data.context import Context
from exporters.sample_data.model import Product
from exporters.source import schema as s

VARCHAR, INT, DECIMAL, TEXT, DATETIME = (s.product_values[t] for t in ("varchar", "int", "decimal", "text", "datetime"))
#: Share of products with meta fields; with color; with a manufacturer; of empty user attributes.
META_SHARE, COLOR_SHARE, MANUFACTURER_SHARE, EMPTY_USER_VALUE_SHARE = 0.5, 0.2, 0.2, 0.1
ACCENTED = "<p>Qualität: größer &amp; schöner – für das Café</p>"


def write_default_values(ctx: Context, p: Product) -> None:
    w, eid = ctx.writer, p.entity_id
    w.value(VARCHAR, eid, ATTR["name"], 0, p.name)
    w.value(VARCHAR, eid, ATTR["url_key"], 0, p.url_key)
    w.value(INT, eid, ATTR["status"], 0, 1 if p.enabled else 2)
    w.value(INT, eid, ATTR["visibility"], 0, p.visibility)
    w.value(INT, eid, ATTR["tax_class_id"], 0, p.tax_class_id)
    if p.price is not None:
        w.value(DECIMAL, eid, ATTR["price"], 0, p.price)
    if p.weight is not None:
        w.value(DECIMAL, eid, ATTR["weight"], 0, p.weight)
    if p.special is not None:
        w.value(DECIMAL, eid, ATTR["special_price"], 0, p.special.price)
        if p.special.from_date is not None:
            w.value(DATETIME, eid, ATTR["special_from_date"], 0, p.special.from_date)
        if p.special.to_date is not None:
            w.value(DATETIME, eid, ATTR["special_to_date"], 0, p.special.to_date)
    for attribute_id, option_id in p.options.items():
        w.value(INT, eid, attribute_id, 0, option_id)
    if p.type_id == "bundle":
        # Fixed bundles show "As Low as" (price_view 1), dynamic ones the price range (0).
        for code in ("price_type", "weight_type", "price_view"):
            w.value(INT, eid, ATTR[code], 0, int(p.bundle_fixed))
    if p.standalone:
        _write_descriptions(ctx, p)


def _write_descriptions(ctx: Context, p: Product) -> None:
    w, rng, eid = ctx.writer, ctx.rng, p.entity_id
    extra = ACCENTED if rng.random() < 0.1 else ""
    w.value(
        TEXT,
        eid,
        ATTR["description"],
        0,
        f"<p><strong>{p.name}</strong> is a sample product.</p>{extra}"
        f"<ul><li>Item {p.ordinal}</li><li>Made for testing &amp; benchmarks</li></ul>",
    )
    w.value(TEXT, eid, ATTR["short_description"], 0, f"<p>{p.name}, in short.</p>")
    if rng.random() < META_SHARE:
        w.value(VARCHAR, eid, ATTR["meta_title"], 0, p.name)
        w.value(VARCHAR, eid, ATTR["meta_description"], 0, f"Buy {p.name} at the sample store")
        w.value(TEXT, eid, ATTR["meta_keyword"], 0, f"{p.name}, sample, {p.type_id}")


def write_user_values(ctx: Context, p: Product) -> None:
    """Option ids of the product's attribute set; color and manufacturer on a share."""
    w, rng, eid = ctx.writer, ctx.rng, p.entity_id
    attributes = ctx.attributes
    for attribute, share in ((attributes.color, COLOR_SHARE), (attributes.manufacturer, MANUFACTURER_SHARE)):
        if rng.random() < share:
            w.value(INT, eid, attribute.attribute_id, 0, rng.choice(attribute.option_ids))
    if p.user_set is None:
        return
    for attribute in p.user_set.attributes:
        if rng.random() < EMPTY_USER_VALUE_SHARE or not attribute.options:
            continue
        option_ids = attribute.option_ids
        if attribute.frontend_input == "multiselect":
            chosen = sorted(rng.sample(option_ids, rng.randint(1, min(3, len(option_ids)))))
            w.value(TEXT, eid, attribute.attribute_id, 0, ",".join(map(str, chosen)))
        else:
            w.value(INT, eid, attribute.attribute_id, 0, rng.choice(option_ids))
