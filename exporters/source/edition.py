"""Open Source or Adobe Commerce: which catalog tables there are and how to join them.

Commerce stages products and categories: the entity table holds one row per scheduled version
(``row_id``), live while ``created_in <= now < updated_in``, and the value, tier-price and media
tables hang off ``row_id``, Magento's link field (docs/magento-schema.md §Staging). Builders never spell
the link column out: they ask the edition, so one query serves both layouts and always answers
in ``entity_id``, the id the feeds publish.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import BigInteger, ColumnElement, FromClause, Table, and_, literal, true

from exporters.source import schema as s

EntityKind = Literal["product", "category"]


@dataclass(frozen=True)
class Edition:
    """The catalog tables of one edition, with the joins that read them through live rows."""

    name: str
    staged: bool
    products: Table
    categories: Table
    product_values: Mapping[str, Table]
    category_values: Mapping[str, Table]
    tier_price: Table
    media_value: Table
    media_to_entity: Table

    def entity_of(self, kind: EntityKind) -> tuple[Table, Mapping[str, Table]]:
        """The entity table of ``kind`` and its value tables by backend type."""
        if kind == "product":
            return self.products, self.product_values
        return self.categories, self.category_values

    def link(self, entity: FromClause) -> ColumnElement[int]:
        """The entity column value and relation tables point at (``row_id`` when staged)."""
        return entity.c.row_id if self.staged else entity.c.entity_id

    def live(self, entity: FromClause) -> ColumnElement[bool]:
        """Only the version in effect now; always true on Open Source.

        Staging version ids are the Unix start times of scheduled updates, so the live row is
        the one whose window holds the current time (docs/magento-schema.md §Staging).
        """
        if not self.staged:
            return true()
        now = literal(int(time.time()), BigInteger())
        return and_(entity.c.created_in <= now, entity.c.updated_in > now)

    def live_link(self, entity: FromClause, column: ColumnElement[Any]) -> ColumnElement[bool]:
        """Join condition: ``column`` (a parent-side relation column) points at ``entity``'s live row."""
        return and_(self.link(entity) == column, self.live(entity))

    def keyed(self, table: Table, entity: Table) -> tuple[ColumnElement[int], FromClause, ColumnElement[bool]]:
        """``(entity id column, FROM, condition)`` for reading ``table``, a table keyed by the link.

        Open Source reads the table alone; Commerce joins the live entity row to turn its
        ``row_id`` into the ``entity_id``. Callers filter the returned id column.
        """
        if not self.staged:
            return table.c.entity_id, table, true()
        return entity.c.entity_id, table.join(entity, entity.c.row_id == table.c.row_id), self.live(entity)


def _edition(name: str, tables: Mapping[str, Table]) -> Edition:
    def values(entity: str) -> dict[str, Table]:
        return {b: tables[f"{entity}_{b}"] for b in s.VALUE_TYPES}

    return Edition(
        name=name,
        staged=name == "commerce",
        products=tables["catalog_product_entity"],
        categories=tables["catalog_category_entity"],
        product_values=values("catalog_product_entity"),
        category_values=values("catalog_category_entity"),
        tier_price=tables["catalog_product_entity_tier_price"],
        media_value=tables["catalog_product_entity_media_gallery_value"],
        media_to_entity=tables["catalog_product_entity_media_gallery_value_to_entity"],
    )


OPEN_SOURCE = _edition("opensource", s.metadata.tables)
COMMERCE = _edition("commerce", s.commerce_metadata.tables)
