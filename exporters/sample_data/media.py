"""Product images: gallery rows, their per-store values and the image role attributes.

Files come from a pool of ``product_images`` names, like the toolkit's image fixture, with
Magento's dispersion path (``/m/a/magento_image_7.jpg``); each product gets gallery rows of
its own pointing at them. Some images are disabled, some have a store-level label, and a few
products without images carry Magento's ``no_selection`` placeholder in their role attributes.
A share of the products with images also has an external video (Magento_ProductVideo): a
gallery row of ``media_type = 'external-video'`` whose file is the preview image, with its
``…_value_video`` row at store 0 and, for some, a store-level title; drawn from the product's
own generator, so the other rows stay as they were.
"""

from __future__ import annotations

from exporters.sample_data.attributes import PRODUCT_ATTRIBUTE_IDS as ATTR
from exporters.sample_data.context import Context
from exporters.sample_data.model import Product
from exporters.sample_data.product_values import VARCHAR
from exporters.source import schema as s

MEDIA_SHARE, NO_SELECTION_SHARE, DISABLED_IMAGE_SHARE, STORE_LABEL_SHARE = 0.30, 0.03, 0.05, 0.10
VIDEO_SHARE, STORE_VIDEO_TITLE_SHARE = 0.15, 0.3
ROLES = ("image", "small_image", "thumbnail")


def image_file(number: int) -> str:
    name = f"magento_image_{number}.jpg"
    return f"/{name[0]}/{name[1]}/{name}"


def write_media(ctx: Context, p: Product) -> None:
    rng, w, eid = ctx.rng, ctx.writer, p.entity_id
    roll = rng.random()
    if roll >= MEDIA_SHARE:
        if roll < MEDIA_SHARE + NO_SELECTION_SHARE:
            for role in ROLES:
                w.value(VARCHAR, eid, ATTR[role], 0, "no_selection")
        return
    files = [
        image_file(rng.randrange(ctx.profile.product_images))
        for _ in range(rng.randint(1, ctx.profile.images_per_product))
    ]
    for position, file in enumerate(files, start=1):
        value_id = w.next_id(s.catalog_product_entity_media_gallery)
        w.add(
            s.catalog_product_entity_media_gallery,
            {
                "value_id": value_id,
                "attribute_id": ATTR["media_gallery"],
                "value": file,
                "media_type": "image",
                "disabled": 0,
            },
        )
        w.add(s.catalog_product_entity_media_gallery_value_to_entity, {"value_id": value_id, "entity_id": eid})
        disabled = position > 1 and rng.random() < DISABLED_IMAGE_SHARE
        label = f"{p.name} image {position}" if position == 1 or rng.random() < 0.5 else None
        _gallery_value(ctx, value_id, eid, 0, label, position, disabled)
        if rng.random() < STORE_LABEL_SHARE:
            view = rng.choice(ctx.base.store_views)
            _gallery_value(ctx, value_id, eid, view.store_id, f"{p.name} ({view.code})", position, False)
    for role in ROLES:
        w.value(VARCHAR, eid, ATTR[role], 0, files[0])
    write_video(ctx, p, position=len(files) + 1)


def write_video(ctx: Context, p: Product, position: int) -> None:
    """An external YouTube video after the product's images, for a share of products."""
    rng, w, eid = ctx.rng_for("video", p.entity_id), ctx.writer, p.entity_id
    if rng.random() >= VIDEO_SHARE:
        return
    value_id = w.next_id(s.catalog_product_entity_media_gallery)
    code = "".join(rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_-") for _ in range(11))
    w.add(
        s.catalog_product_entity_media_gallery,
        {
            "value_id": value_id,
            "attribute_id": ATTR["media_gallery"],
            "value": f"/{code[0].lower()}/{code[1].lower()}/{code}.jpg",
            "media_type": "external-video",
            "disabled": 0,
        },
    )
    w.add(s.catalog_product_entity_media_gallery_value_to_entity, {"value_id": value_id, "entity_id": eid})
    _gallery_value(ctx, value_id, eid, 0, f"{p.name} video", position, False)
    video = s.catalog_product_entity_media_gallery_value_video
    w.add(
        video,
        {
            "value_id": value_id,
            "store_id": 0,
            "provider": "youtube",
            "url": f"https://www.youtube.com/watch?v={code}",
            "title": f"{p.name} in use",
            "description": f"How {p.name} works" if rng.random() < 0.5 else "",
            "metadata": "",
        },
    )
    if rng.random() < STORE_VIDEO_TITLE_SHARE:
        view = rng.choice(ctx.base.store_views)
        w.add(
            video,
            {
                "value_id": value_id,
                "store_id": view.store_id,
                "provider": "youtube",
                "url": f"https://www.youtube.com/watch?v={code}",
                "title": f"{p.name} ({view.code})",
                "description": None,
                "metadata": None,
            },
        )


def _gallery_value(
    ctx: Context, value_id: int, entity_id: int, store_id: int, label: str | None, position: int, disabled: bool
) -> None:
    table = s.catalog_product_entity_media_gallery_value
    ctx.writer.add(
        table,
        {
            "record_id": ctx.writer.next_id(table),
            "value_id": value_id,
            "store_id": store_id,
            "entity_id": entity_id,
            "label": label,
            "position": position,
            "disabled": int(disabled),
        },
    )
