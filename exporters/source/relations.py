"""Product relations that several feeds read: the parents of a range of products."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select

from exporters.source.edition import Edition
from exporters.source.schema import (
    catalog_product_relation,
    catalog_product_super_link,
    id_between,
)


def read_parents(conn: Connection, edition: Edition, lo: int, hi: int) -> dict[int, dict[str, str]]:
    """child id -> {parent sku: parent type_id} for children ``lo..hi``.

    Configurable, bundle and grouped parents come from ``catalog_product_relation``; super links
    are read too, for catalogs whose relation rows are missing. The parent side holds the
    parent's link id (its live ``row_id`` on Commerce), the child side its ``entity_id``.
    """
    e = edition.products
    parents: dict[int, dict[str, str]] = defaultdict(dict)
    for table, child, parent in (
        (catalog_product_relation, "child_id", "parent_id"),
        (catalog_product_super_link, "product_id", "parent_id"),
    ):
        for child_id, sku, type_id in conn.execute(
            select(table.c[child], e.c.sku, e.c.type_id)
            .join(e, edition.live_link(e, table.c[parent]))
            .where(id_between(table.c[child], lo, hi))
        ):
            if sku is not None:
                parents[child_id][sku] = type_id
    return parents
