"""``links``: a product's related, up-sell and cross-sell products (Adobe's ``Links`` provider).

Adobe reads ``catalog_product_link`` rows of link types 1, 4 and 5 (``ProductLinksQuery``) and
names them with ``LinkTypeProvider``'s keys (``related``, ``upsell``, ``crosssell``), not with
``catalog_product_link_type.code``. A link appears at a store view only when both the product
and the linked product are assigned to the view's website; the linked product's status and
visibility do not matter. Links are ordered by type, then sku (Adobe ``ksort``s on
``store-parent-type-sku``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, select

from exporters.feeds.product_parts.base import ProductView
from exporters.model import Item
from exporters.source import MagentoSource
from exporters.source.schema import catalog_product_link, catalog_product_website, id_between

#: ``catalog_product_link.link_type_id`` -> the type Adobe sends (Magento\Catalog\Model\Product\Link constants).
LINK_TYPES = {1: "related", 4: "upsell", 5: "crosssell"}


@dataclass(slots=True)
class _LinkRows:
    #: product -> (type, linked sku, linked product's websites), in Adobe's order.
    links: dict[int, list[tuple[str, str, frozenset[int]]]]

    def fingerprint(self, product_id: int) -> Any:
        links = self.links.get(product_id)
        return None if not links else [(t, sku, sorted(websites)) for t, sku, websites in links]

    def fields(self, product: ProductView) -> Item:
        website_id = product.view.website_id
        links = self.links.get(int(product.row.entity_id), ())
        return {"links": [{"sku": sku, "type": t} for t, sku, websites in links if website_id in websites]}


class LinksPart:
    """``links`` from ``catalog_product_link`` and the linked products' websites."""

    reads: tuple[str, ...] = ("catalog_product_link", "catalog_product_website")

    def context(self, source: MagentoSource) -> Any:
        return LINK_TYPES

    def read(self, conn: Connection, source: MagentoSource, lo: int, hi: int) -> _LinkRows:
        edition = source.edition
        link, website = catalog_product_link, catalog_product_website
        parent, child = edition.products.alias("parent"), edition.products.alias("child")
        found: dict[tuple[int, str, str], set[int]] = defaultdict(set)
        for parent_id, type_id, sku, website_id in conn.execute(
            select(parent.c.entity_id, link.c.link_type_id, child.c.sku, website.c.website_id)
            .join_from(link, parent, edition.live_link(parent, link.c.product_id))
            .join(child, and_(child.c.entity_id == link.c.linked_product_id, edition.live(child)))
            .join(website, website.c.product_id == link.c.linked_product_id)
            .where(id_between(parent.c.entity_id, lo, hi), link.c.link_type_id.in_(sorted(LINK_TYPES)))
        ):
            if sku is None:
                continue
            found[(int(parent_id), LINK_TYPES[int(type_id)], str(sku))].add(int(website_id))
        links: dict[int, list[tuple[str, str, frozenset[int]]]] = defaultdict(list)
        for (parent_id, type_name, sku), websites in sorted(found.items(), key=lambda e: (e[0][0], _key(e[0]))):
            links[parent_id].append((type_name, sku, frozenset(websites)))
        return _LinkRows(dict(links))


def _key(entry: tuple[int, str, str]) -> str:
    """Adobe's sort key within one product and store view: ``type-sku`` as a string."""
    return f"{entry[1]}-{entry[2]}"


LINKS = LinksPart()
