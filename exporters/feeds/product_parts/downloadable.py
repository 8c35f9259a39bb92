"""Downloadable products: ``samples``, ``linksExist``, ``linksPurchasedSeparately``, ``samplesTitle``.

``samples`` follows Adobe's ``Samples`` provider: one entry per ``downloadable_sample`` row of
the product, ordered by ``sort_order``, whose ``resource`` is the storefront download URL
(``<web base>downloadable/download/sample/sample_id/<id>``) with the sample's title at the store
view (``downloadable_sample_title``, falling back to store 0) and no roles; ``sortOrder`` is
the row's ``sort_order`` as a string (the record declares it String).

The three flags are the product's EAV attributes ``links_exist``, ``links_purchased_separately``
(booleans) and ``samples_title`` (text) at the store view, null where the product has none.
Adobe's exporter fills ``linksPurchasedSeparately`` the same way; it declares ``linksExist``
and ``samplesTitle`` but its attribute list leaves their attributes out, so its own items omit
them: ours carry Magento's values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from exporters.feeds.product_parts.base import ProductView
from exporters.feeds.product_parts.urls import web_base_url
from exporters.model import Item
from exporters.source import MagentoSource
from exporters.source.eav import Attribute, EntityValues, load_values, resolve
from exporters.source.schema import downloadable_sample, downloadable_sample_title, id_between

SAMPLE_PATH = "downloadable/download/sample/sample_id/"
#: Item field -> (attribute code, is boolean).
FLAGS = {
    "linksExist": ("links_exist", True),
    "linksPurchasedSeparately": ("links_purchased_separately", True),
    "samplesTitle": ("samples_title", False),
}


@dataclass(frozen=True, slots=True)
class _Sample:
    sample_id: int
    sort_order: int
    titles: dict[int, str | None]  # store -> title

    def title(self, store_id: int) -> str | None:
        """The store view's title, else the default one (``IFNULL(store_title, default_title)``)."""
        title = self.titles.get(store_id)
        return self.titles.get(0) if title is None else title


@dataclass(slots=True)
class _DownloadableRows:
    sample_urls: dict[int, str]  # store -> base of a sample's URL
    flags: list[tuple[str, Attribute, bool]]
    values: dict[int, EntityValues]
    samples: dict[int, list[_Sample]]

    def fingerprint(self, product_id: int) -> Any:
        values, samples = self.values.get(product_id), self.samples.get(product_id)
        if not values and not samples:
            return None
        return [values, [(s.sample_id, s.sort_order, sorted(s.titles.items())) for s in samples or ()]]

    def fields(self, product: ProductView) -> Item:
        entity_id, store_id = int(product.row.entity_id), product.view.store_id
        item: Item = {}
        values = self.values.get(entity_id, {})
        for name, attribute, boolean in self.flags:
            value = resolve(values, attribute, store_id)
            item[name] = None if value is None else bool(int(value)) if boolean else str(value)
        base = self.sample_urls.get(store_id, SAMPLE_PATH)
        item["samples"] = [
            {
                "resource": {
                    "url": f"{base}{sample.sample_id}",
                    "label": sample.title(store_id),
                    "roles": None,
                },
                "sortOrder": str(sample.sort_order),
            }
            for sample in self.samples.get(entity_id, ())
        ]
        return item


class DownloadablePart:
    """Samples from ``downloadable_sample``/``_title`` and the downloadable flags from EAV values."""

    reads: tuple[str, ...] = ("downloadable_sample", "downloadable_sample_title")

    def context(self, source: MagentoSource) -> Any:
        flags = [(name, repr(source.product_attributes.get(code))) for name, (code, _) in FLAGS.items()]
        return [_sample_urls(source), flags]

    def read(self, conn: Connection, source: MagentoSource, lo: int, hi: int) -> _DownloadableRows:
        attrs = source.product_attributes
        flags = [(name, a, boolean) for name, (code, boolean) in FLAGS.items() if (a := attrs.get(code)) is not None]
        store_ids = source.scopes.store_ids
        codes = [a.code for _, a, _ in flags]
        values = load_values(conn, source.edition, "product", attrs.ids_by_backend(codes), store_ids, lo, hi)
        return _DownloadableRows(_sample_urls(source), flags, values, _read_samples(conn, source, lo, hi))


def _read_samples(conn: Connection, source: MagentoSource, lo: int, hi: int) -> dict[int, list[_Sample]]:
    edition = source.edition
    ds, dst, products = downloadable_sample, downloadable_sample_title, edition.products
    in_range = id_between(products.c.entity_id, lo, hi)
    samples: dict[int, tuple[int, int]] = {}  # sample -> (product, sort order)
    for sample_id, entity_id, sort_order in conn.execute(
        select(ds.c.sample_id, products.c.entity_id, ds.c.sort_order)
        .join_from(ds, products, edition.live_link(products, ds.c.product_id))
        .where(in_range)
    ):
        samples[int(sample_id)] = (int(entity_id), int(sort_order or 0))
    titles: dict[int, dict[int, str | None]] = defaultdict(dict)
    stores = [0, *source.scopes.store_ids]
    for sample_id, store_id, title in conn.execute(
        select(dst.c.sample_id, dst.c.store_id, dst.c.title)
        .join_from(dst, ds, ds.c.sample_id == dst.c.sample_id)
        .join(products, edition.live_link(products, ds.c.product_id))
        .where(in_range, dst.c.store_id.in_(stores))
    ):
        titles[int(sample_id)][int(store_id)] = title
    by_product: dict[int, list[_Sample]] = defaultdict(list)
    for sample_id, (entity_id, sort_order) in sorted(samples.items(), key=lambda e: (e[1][1], e[0])):
        by_product[entity_id].append(_Sample(sample_id, sort_order, titles.get(sample_id, {})))
    return dict(by_product)


def _sample_urls(source: MagentoSource) -> dict[int, str]:
    return {sid: f"{web_base_url(source, sid)}{SAMPLE_PATH}" for sid in source.scopes.store_ids}


DOWNLOADABLE = DownloadablePart()
