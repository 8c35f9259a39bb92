"""Downloadable products: links and samples with their titles and prices (Magento_Downloadable).

Every ``DOWNLOADABLE_EVERY``-th simple product (counting from ``DOWNLOADABLE_AT``) is written as a
downloadable one instead, chosen by number, so the shared random draws stay where they were;
what it carries beyond a simple product is drawn from its own generator (``Context.rng_for``).
It has no weight, ``links_purchased_separately``/``links_exist`` and the ``links_title``/
``samples_title`` attributes (one store view renames the samples on some), one to three links
(URL links, some with a sample of their own, a title per store for some, a price on website 0)
and none to two samples.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Table

from exporters.sample_data.attributes import PRODUCT_ATTRIBUTE_IDS as ATTR
from exporters.sample_data.context import Context
from exporters.sample_data.model import Product
from exporters.sample_data.product_values import INT, VARCHAR
from exporters.source import schema as s

DOWNLOADABLE_EVERY, DOWNLOADABLE_AT = 40, 13
STORE_TITLE_SHARE, SEPARATE_SHARE = 0.3, 0.7
HOST = "https://downloads.example.com"


def is_downloadable(number: int) -> bool:
    """Whether the ``number``-th simple product is written as a downloadable one."""
    return number % DOWNLOADABLE_EVERY == DOWNLOADABLE_AT


def make_downloadable(p: Product, number: int) -> None:
    """Turn a planned simple product into ``downloadable_product_N`` (no weight: nothing ships)."""
    p.type_id = "downloadable"
    p.sku = f"downloadable_product_{number}"
    p.name = f"Downloadable Product {number}"
    p.url_key = f"downloadable-product-{number}"
    p.weight = None


def write_downloadable(ctx: Context, p: Product) -> None:
    """The attributes, links and samples of a downloadable product; nothing for other types."""
    if p.type_id != "downloadable":
        return
    rng, w, eid = ctx.rng_for("downloadable", p.entity_id), ctx.writer, p.entity_id
    links = rng.randint(1, 3)
    samples = rng.randint(0, 2)
    w.value(INT, eid, ATTR["links_purchased_separately"], 0, int(rng.random() < SEPARATE_SHARE))
    w.value(INT, eid, ATTR["links_exist"], 0, 1)
    w.value(VARCHAR, eid, ATTR["links_title"], 0, "Links")
    w.value(VARCHAR, eid, ATTR["samples_title"], 0, "Samples")
    view = rng.choice(ctx.base.store_views)
    if rng.random() < STORE_TITLE_SHARE:
        w.value(VARCHAR, eid, ATTR["samples_title"], view.store_id, f"Samples ({view.code})")
    for number in range(1, links + 1):
        link_id = w.next_id(s.downloadable_link)
        with_sample = rng.random() < 0.5
        w.add(
            s.downloadable_link,
            {
                "link_id": link_id,
                "product_id": eid,
                "sort_order": number,
                "number_of_downloads": rng.choice((0, 5, 10)),
                "is_shareable": rng.choice((0, 1, 2)),
                "link_url": f"{HOST}/{p.url_key}/file-{number}.zip",
                "link_file": None,
                "link_type": "url",
                "sample_url": f"{HOST}/{p.url_key}/file-{number}-sample.zip" if with_sample else None,
                "sample_file": None,
                "sample_type": "url" if with_sample else None,
            },
        )
        _title(ctx, s.downloadable_link_title, "link_id", link_id, 0, f"{p.name} file {number}")
        if rng.random() < STORE_TITLE_SHARE:
            _title(ctx, s.downloadable_link_title, "link_id", link_id, view.store_id, f"File {number} ({view.code})")
        w.add(
            s.downloadable_link_price,
            {
                "price_id": w.next_id(s.downloadable_link_price),
                "link_id": link_id,
                "website_id": 0,
                "price": Decimal(rng.randrange(0, 2_000)).scaleb(-2),
            },
        )
    for number in range(1, samples + 1):
        sample_id = w.next_id(s.downloadable_sample)
        w.add(
            s.downloadable_sample,
            {
                "sample_id": sample_id,
                "product_id": eid,
                "sample_url": f"{HOST}/{p.url_key}/sample-{number}.pdf",
                "sample_file": None,
                "sample_type": "url",
                "sort_order": number,
            },
        )
        _title(ctx, s.downloadable_sample_title, "sample_id", sample_id, 0, f"{p.name} sample {number}")
        if rng.random() < STORE_TITLE_SHARE:
            _title(
                ctx,
                s.downloadable_sample_title,
                "sample_id",
                sample_id,
                view.store_id,
                f"Sample {number} ({view.code})",
            )


def _title(ctx: Context, table: Table, key: str, key_id: int, store_id: int, title: str) -> None:
    ctx.writer.add(table, {"title_id": ctx.writer.next_id(table), key: key_id, "store_id": store_id, "title": title})
