"""Adobe Commerce staging for sample catalogs: each Open Source row, rewritten as Commerce keeps it.

The generator writes one catalog; with ``--edition commerce`` every row passes through here on
its way to the database, so both editions hold the same catalog by construction and their feeds
must agree item for item. What Commerce adds (docs/magento-schema.md §Staging):

* each product and category gets a ``sequence_*`` row and one entity row per version, numbered
  by ``row_id`` (never equal to the ``entity_id``, so a join on the wrong column cannot pass);
* some entities carry versions that are not live: an update that already ended (every 4th id)
  and one scheduled for the future (every 7th). Their rows differ from the live ones (sku, text
  and prices), so reading anything but the live version shows in the items;
* value, tier-price and media rows hang off ``row_id``, one copy per version, and the parent
  side of the relation tables holds the parent's ``row_id``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Table

from exporters.source import schema as s

Row = dict[str, Any]

#: When the ended update took over (2024-03-01 UTC): its older version runs from the start.
ENDED_UPDATE_AT = calendar.timegm(datetime(2024, 3, 1).timetuple())
#: A scheduled update that has not started (2033-05-18 UTC).
SCHEDULED_UPDATE_AT = 2_000_000_000
PAST_EVERY, FUTURE_EVERY = 4, 7


@dataclass(frozen=True, slots=True)
class Version:
    row_id: int
    created_in: int
    updated_in: int
    live: bool


@lru_cache(maxsize=4096)
def versions(entity_id: int) -> tuple[Version, ...]:
    """The staged versions of an entity, the live one first.

    Asked once per row the entity owns (its values, links, media); an entity's rows are
    written together, so a small cache answers nearly all of them.
    """
    live_from = ENDED_UPDATE_AT if entity_id % PAST_EVERY == 0 else 1
    live_until = SCHEDULED_UPDATE_AT if entity_id % FUTURE_EVERY == 0 else s.STAGING_MAX_VERSION
    found = [Version(3 * entity_id, live_from, live_until, True)]
    if live_from != 1:
        found.append(Version(3 * entity_id - 1, 1, live_from, False))
    if live_until != s.STAGING_MAX_VERSION:
        found.append(Version(3 * entity_id - 2, live_until, s.STAGING_MAX_VERSION, False))
    return tuple(found)


def _not_live(value: Any) -> Any:
    """A value that differs from the live one, so reading it would show in the items."""
    if isinstance(value, str):
        return f"{value} (staged)"[:255]
    if isinstance(value, Decimal | float):
        return value + 1000
    return value


_STAGED = s.STAGED_TABLES
_SEQUENCES = {s.catalog_product_entity: s.sequence_product, s.catalog_category_entity: s.sequence_catalog_category}
_VALUE_KEYS: dict[Table, str] = {
    **{t: "value_id" for t in (*s.product_values.values(), *s.category_values.values())},
    s.catalog_product_entity_tier_price: "value_id",
    s.catalog_product_entity_media_gallery_value: "record_id",
}
#: Relation tables whose parent column holds the parent's row_id; the key column numbers copies.
_PARENT_SIDE: dict[Table, tuple[str, str | None]] = {
    s.catalog_product_relation: ("parent_id", None),
    s.catalog_product_super_link: ("parent_id", "link_id"),
}
#: Parent-side tables written for the live version only (other rows point at their ids).
_LIVE_PARENT_SIDE: dict[Table, str] = {
    s.catalog_product_super_attribute: "product_id",
    s.catalog_product_link: "product_id",
    s.downloadable_link: "product_id",
    s.downloadable_sample: "product_id",
    s.catalog_product_option: "product_id",
    s.catalog_product_bundle_option: "parent_id",
    s.catalog_product_bundle_option_value: "parent_product_id",
    s.catalog_product_bundle_selection: "parent_product_id",
    s.catalog_product_bundle_selection_price: "parent_product_id",
}


class Staging:
    """Turns one Open Source row into the Commerce rows that hold the same data.

    ``allocate`` hands out the next id of a table's key, for the copies of non-live versions.
    """

    def __init__(self, allocate: Callable[[Table], int]) -> None:
        self._allocate = allocate

    def rows(self, table: Table, row: Row) -> Iterator[tuple[Table, Row]]:
        if (sequence := _SEQUENCES.get(table)) is not None:
            yield from self._entity(table, sequence, row)
        elif (key := _VALUE_KEYS.get(table)) is not None:
            yield from self._keyed_by_row(table, row, key)
        elif table is s.catalog_product_entity_media_gallery_value_to_entity:
            yield from self._keyed_by_row(table, row, None)
        elif (parent_side := _PARENT_SIDE.get(table)) is not None:
            column, copy_key = parent_side
            for version in versions(row[column]):
                copy = {**row, column: version.row_id}
                if copy_key is not None and not version.live:
                    copy[copy_key] = self._allocate(table)
                yield table, copy
        elif (live_column := _LIVE_PARENT_SIDE.get(table)) is not None:
            yield table, {**row, live_column: versions(row[live_column])[0].row_id}
        else:
            yield table, row

    def _entity(self, table: Table, sequence: Table, row: Row) -> Iterator[tuple[Table, Row]]:
        yield sequence, {"sequence_value": row["entity_id"]}
        for version in versions(row["entity_id"]):
            staged = {
                **row,
                "row_id": version.row_id,
                "created_in": version.created_in,
                "updated_in": version.updated_in,
            }
            if not version.live and staged.get("sku") is not None:
                staged["sku"] = _not_live(staged["sku"])
            yield _STAGED[table.name], staged

    def _keyed_by_row(self, table: Table, row: Row, key: str | None) -> Iterator[tuple[Table, Row]]:
        entity_id = row["entity_id"]
        base = {k: v for k, v in row.items() if k != "entity_id"}
        for version in versions(entity_id):
            copy = {**base, "row_id": version.row_id}
            if not version.live:
                if key is not None:
                    copy[key] = self._allocate(table)
                if "value" in copy:
                    copy["value"] = _not_live(copy["value"])
                if "label" in copy:
                    copy["label"] = _not_live(copy["label"])
            yield _STAGED[table.name], copy
