"""``optionsV2`` entries of grouped products and of downloadable links.

Grouped, as ``ProductOptions/GroupedProductOptions.php`` reads them (with ``ProductLinksQuery``):
one option ``{id: <product id>, type: "grouped", values}`` for a product with grouped links
(``catalog_product_link`` type 3) to products on the store view's website; each value is
``{id: <child id>, sku, qty, sortOrder, qtyMutability: true}``, with ``qty`` and the position from
the link's ``qty``/``position`` attributes (``catalog_product_link_attribute_decimal``/``_int``),
by link id (Adobe's query has no ORDER BY).

Downloadable, as ``ProductOptions/DownloadableLinks.php`` reads them: a ``downloadable`` product
has one option ``{id: "link:<product id>", label: links_title at the store view, type:
"downloadable", values}``; each ``downloadable_link`` (by ``sort_order``) is a value with the uid
``downloadable/<link id>``, its title at the store view (else store 0), the price of the store
view's website (else website 0; none is 0), ``qty`` = ``number_of_downloads`` (none is 0) and, when
the link has a sample, ``infoUrl`` = the store's base URL + ``downloadable/download/sample/sample_id/``
+ the *link* id, as Adobe builds it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, select

from exporters.feeds.product_parts.option_records import as_float, as_int, option, uid, value
from exporters.feeds.product_parts.urls import web_base_url
from exporters.source import MagentoSource, StoreView
from exporters.source.eav import Attribute, EntityValues, load_values, resolve
from exporters.source.schema import (
    catalog_product_link,
    catalog_product_link_attribute,
    catalog_product_link_attribute_decimal,
    catalog_product_link_attribute_int,
    catalog_product_website,
    downloadable_link,
    downloadable_link_price,
    downloadable_link_title,
    id_between,
)

READS = (
    "catalog_product_link",
    "catalog_product_link_attribute",
    "catalog_product_link_attribute_decimal",
    "catalog_product_link_attribute_int",
    "catalog_product_website",
    "downloadable_link",
    "downloadable_link_title",
    "downloadable_link_price",
)
LINK_TYPE_GROUPED = 3
SAMPLE_PATH = "downloadable/download/sample/sample_id/"


@dataclass(frozen=True, slots=True)
class _GroupedLink:
    link_id: int
    child_id: int
    sku: str | None
    websites: tuple[int, ...]
    qty: Any
    position: Any


@dataclass(frozen=True, slots=True)
class _Link:
    link_id: int
    sort_order: int
    has_sample: bool
    number_of_downloads: int | None
    titles: tuple[tuple[int, str | None], ...]  # (store, title)
    prices: tuple[tuple[int, Any], ...]  # (website, price)


@dataclass(slots=True)
class LinkedRows:
    grouped: dict[int, list[_GroupedLink]]
    downloadable: dict[int, list[_Link]]  # downloadable product -> links (maybe none)
    links_title: Attribute | None
    values: dict[int, EntityValues]
    sample_urls: dict[int, str]

    def fingerprint(self, product_id: int) -> list[Any]:
        grouped = [
            (g.link_id, g.child_id, g.sku, g.websites, g.qty, g.position) for g in self.grouped.get(product_id, ())
        ]
        links = self.downloadable.get(product_id)
        if links is None:
            return [grouped]
        return [
            grouped,
            [(k.link_id, k.sort_order, k.has_sample, k.number_of_downloads, k.titles, k.prices) for k in links],
            self.values.get(product_id),
        ]

    def options_of(self, product_id: int, view: StoreView) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(downloadable options, grouped options): Adobe adds them in that order, after custom options."""
        downloadable = []
        links = self.downloadable.get(product_id)
        if links is not None:
            title = None
            if self.links_title is not None:
                title = resolve(self.values.get(product_id, {}), self.links_title, view.store_id)
            downloadable.append(
                option(
                    id=f"link:{product_id}",
                    label=None if title is None else str(title),
                    type="downloadable",
                    values=[self._link(k, view) for k in links],
                )
            )
        grouped = []
        children = [g for g in self.grouped.get(product_id, ()) if view.website_id in g.websites]
        if children:
            grouped.append(
                option(
                    id=str(product_id),
                    type="grouped",
                    values=[
                        value(
                            id=str(g.child_id),
                            sortOrder=as_int(g.position),
                            qtyMutability=True,
                            qty=as_float(g.qty),
                            sku=g.sku,
                        )
                        for g in children
                    ],
                )
            )
        return downloadable, grouped

    def _link(self, link: _Link, view: StoreView) -> dict[str, Any]:
        titles, prices = dict(link.titles), dict(link.prices)
        title = titles.get(view.store_id)
        price = prices.get(view.website_id)
        return value(
            id=uid("downloadable", link.link_id),
            label=title if title is not None else titles.get(0),
            sortOrder=link.sort_order,
            qty=float(link.number_of_downloads or 0),
            infoUrl=f"{self.sample_urls[view.store_id]}{link.link_id}" if link.has_sample else None,
            price=float(price if price is not None else prices.get(0) or 0),
        )


def read_linked(conn: Connection, source: MagentoSource, lo: int, hi: int) -> LinkedRows:
    edition = source.edition
    parent = edition.products.alias("parent")
    child = edition.products.alias("child")
    in_range = id_between(parent.c.entity_id, lo, hi)
    link, attr = catalog_product_link, catalog_product_link_attribute
    attribute_ids: dict[str, list[int]] = defaultdict(list)
    for attribute_id, code in conn.execute(
        select(attr.c.product_link_attribute_id, attr.c.product_link_attribute_code).where(
            attr.c.link_type_id == LINK_TYPE_GROUPED, attr.c.product_link_attribute_code.in_(("position", "qty"))
        )
    ):
        attribute_ids[code].append(int(attribute_id))
    rows: dict[int, tuple[int, int, str | None]] = {}  # link -> (product, child, sku)
    websites: dict[int, set[int]] = defaultdict(set)
    for product_id, link_id, child_id, sku, website_id in conn.execute(
        select(parent.c.entity_id, link.c.link_id, child.c.entity_id, child.c.sku, catalog_product_website.c.website_id)
        .join_from(link, parent, edition.live_link(parent, link.c.product_id))
        .join(child, and_(child.c.entity_id == link.c.linked_product_id, edition.live(child)))
        .join(catalog_product_website, catalog_product_website.c.product_id == child.c.entity_id)
        .where(in_range, link.c.link_type_id == LINK_TYPE_GROUPED)
    ):
        rows[int(link_id)] = (int(product_id), int(child_id), sku)
        websites[int(link_id)].add(int(website_id))
    extra: dict[str, dict[int, Any]] = {"position": {}, "qty": {}}
    for code, table in (
        ("position", catalog_product_link_attribute_int),
        ("qty", catalog_product_link_attribute_decimal),
    ):
        for link_id, raw in conn.execute(
            select(table.c.link_id, table.c.value)
            .join(link, link.c.link_id == table.c.link_id)
            .join(parent, edition.live_link(parent, link.c.product_id))
            .where(in_range, table.c.product_link_attribute_id.in_(attribute_ids.get(code, [])))
        ):
            extra[code][int(link_id)] = raw
    grouped: dict[int, list[_GroupedLink]] = defaultdict(list)
    for link_id in sorted(rows):
        product_id, child_id, sku = rows[link_id]
        grouped[product_id].append(
            _GroupedLink(
                link_id,
                child_id,
                sku,
                tuple(sorted(websites[link_id])),
                extra["qty"].get(link_id),
                extra["position"].get(link_id),
            )
        )
    downloadable, values, links_title = _read_downloadable(conn, source, lo, hi)
    sample_urls = {sid: f"{web_base_url(source, sid)}{SAMPLE_PATH}" for sid in source.scopes.store_ids}
    return LinkedRows(grouped, downloadable, links_title, values, sample_urls)


def _read_downloadable(
    conn: Connection, source: MagentoSource, lo: int, hi: int
) -> tuple[dict[int, list[_Link]], dict[int, EntityValues], Attribute | None]:
    edition = source.edition
    products = edition.products
    in_range = id_between(products.c.entity_id, lo, hi)
    downloadable: dict[int, list[_Link]] = {
        int(pid): []
        for (pid,) in conn.execute(
            select(products.c.entity_id).where(in_range, products.c.type_id == "downloadable", edition.live(products))
        )
    }
    links_title = source.product_attributes.get("links_title")
    dl, dt, dp = downloadable_link, downloadable_link_title, downloadable_link_price
    links_from = dl.join(products, edition.live_link(products, dl.c.product_id))
    titles: dict[int, list[tuple[int, str | None]]] = defaultdict(list)
    for link_id, store_id, title in conn.execute(
        select(dt.c.link_id, dt.c.store_id, dt.c.title)
        .select_from(links_from.join(dt, dt.c.link_id == dl.c.link_id))
        .where(in_range, dt.c.store_id.in_([0, *source.scopes.store_ids]))
        .order_by(dt.c.link_id, dt.c.store_id)
    ):
        titles[int(link_id)].append((int(store_id), title))
    prices: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for link_id, website_id, price in conn.execute(
        select(dp.c.link_id, dp.c.website_id, dp.c.price)
        .select_from(links_from.join(dp, dp.c.link_id == dl.c.link_id))
        .where(in_range)
        .order_by(dp.c.link_id, dp.c.website_id)
    ):
        prices[int(link_id)].append((int(website_id), price))
    for row in conn.execute(
        select(
            products.c.entity_id,
            dl.c.link_id,
            dl.c.sort_order,
            dl.c.number_of_downloads,
            dl.c.sample_url,
            dl.c.sample_file,
        )
        .select_from(links_from)
        .where(in_range)
        .order_by(dl.c.sort_order, dl.c.link_id)
    ):
        if int(row.entity_id) in downloadable:
            downloadable[int(row.entity_id)].append(
                _Link(
                    link_id=int(row.link_id),
                    sort_order=int(row.sort_order),
                    has_sample=(row.sample_url if row.sample_url is not None else row.sample_file) is not None,
                    number_of_downloads=as_int(row.number_of_downloads),
                    titles=tuple(titles.get(int(row.link_id), ())),
                    prices=tuple(prices.get(int(row.link_id), ())),
                )
            )
    values: dict[int, EntityValues] = {}
    if links_title is not None:
        ids = source.product_attributes.ids_by_backend(["links_title"])
        values = load_values(conn, edition, "product", ids, source.scopes.store_ids, lo, hi)
    return downloadable, values, links_title
