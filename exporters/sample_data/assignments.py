"""How a product relates to the rest: websites, categories, URLs, product links and variants."""

from __future__ import annotations

from collections.abc import Sequence

from exporters.sample_data.attribute_sets import UserAttribute
from exporters.sample_data.context import Context
from exporters.sample_data.model import Product, SimplePool
from exporters.sample_data.urls import write_product_rewrites
from exporters.sample_data.writer import BatchWriter
from exporters.source import schema as s

#: Share of standalone products in no category; with related/up-sell/cross-sell links.
NO_CATEGORY_SHARE, LINKED_SHARE = 0.03, 0.05
#: Magento's link types: relation, up_sell, cross_sell.
LINK_TYPES = (1, 4, 5)


def write_websites(ctx: Context, p: Product) -> None:
    for website_id in p.websites:
        ctx.writer.add(s.catalog_product_website, {"product_id": p.entity_id, "website_id": website_id})


def write_category_links(ctx: Context, p: Product) -> None:
    rng, category_ids = ctx.rng, ctx.categories.ids
    if not category_ids or rng.random() < NO_CATEGORY_SHARE:
        return
    for category_id in rng.sample(category_ids, min(len(category_ids), rng.randint(1, 2))):
        p.category_ids.append(category_id)
        ctx.writer.add(
            s.catalog_category_product,
            {
                "entity_id": ctx.writer.next_id(s.catalog_category_product),
                "category_id": category_id,
                "product_id": p.entity_id,
                "position": rng.randint(0, 10),
            },
        )


def write_rewrites(ctx: Context, p: Product) -> None:
    if p.visibility != 1:
        write_product_rewrites(ctx, p, ctx.views_of(p.websites))


def write_links(ctx: Context, p: Product, pool: SimplePool) -> None:
    """Links to earlier simple products, so every target exists."""
    rng = ctx.rng
    if len(pool) < 4 or rng.random() >= LINKED_SHARE:
        return
    for index in rng.sample(range(len(pool)), rng.randint(1, 3)):
        ctx.writer.add(
            s.catalog_product_link,
            {
                "link_id": ctx.writer.next_id(s.catalog_product_link),
                "product_id": p.entity_id,
                "linked_product_id": pool.ids[index],
                "link_type_id": rng.choice(LINK_TYPES),
            },
        )


def write_configurable_links(
    writer: BatchWriter, parent: Product, attributes: Sequence[UserAttribute], variants: Sequence[Product]
) -> None:
    """Super attributes with their admin label, super links, and the generic relation rows."""
    for position, attribute in enumerate(attributes):
        super_id = writer.next_id(s.catalog_product_super_attribute)
        writer.add(
            s.catalog_product_super_attribute,
            {
                "product_super_attribute_id": super_id,
                "product_id": parent.entity_id,
                "attribute_id": attribute.attribute_id,
                "position": position,
            },
        )
        writer.add(
            s.catalog_product_super_attribute_label,
            {
                "value_id": writer.next_id(s.catalog_product_super_attribute_label),
                "product_super_attribute_id": super_id,
                "store_id": 0,
                "use_default": 0,
                "value": attribute.label,
            },
        )
    for variant in variants:
        writer.add(
            s.catalog_product_super_link,
            {
                "link_id": writer.next_id(s.catalog_product_super_link),
                "product_id": variant.entity_id,
                "parent_id": parent.entity_id,
            },
        )
        writer.add(s.catalog_product_relation, {"parent_id": parent.entity_id, "child_id": variant.entity_id})
