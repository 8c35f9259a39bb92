"""What every feed declares: its identity, how it is stored, and how a range of source ids is built."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from sqlalchemy import Column, Connection, select

from exporters.feeds.presence import PLAIN, RECORDS, present
from exporters.model import BuildResult
from exporters.source import MagentoSource
from exporters.source.schema import VALUE_TYPES, catalog_product_website, id_between

TMode = Literal["immediate", "legacy"]

#: Tables read for every feed: the store scopes and the EAV metadata (``MagentoSource``).
SCOPE_TABLES = ("store", "store_website", "store_group")
EAV_TABLES = ("eav_entity_type", "eav_attribute", "catalog_eav_attribute", "eav_attribute_option",
              "eav_attribute_option_value")  # fmt: skip
PRODUCT_VALUE_TABLES = tuple(f"catalog_product_entity_{t}" for t in VALUE_TYPES)
CATEGORY_VALUE_TABLES = tuple(f"catalog_category_entity_{t}" for t in VALUE_TYPES)


class Builder(Protocol):
    """Turns source ids ``lo..hi`` (inclusive) into items, skipping entities in ``known``.

    ``known`` maps a source id to the fingerprint its settled feed rows were built from.
    """

    def __call__(
        self, source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None
    ) -> BuildResult: ...


@dataclass(frozen=True)
class FeedSpec:
    """A feed's contract: its identity, minimal payload and how to build a range."""

    name: str
    summary: str
    #: "immediate": only new, changed and failed items are sent; "legacy": a full resync sends all.
    mode: TMode
    table: str
    identity: tuple[str, ...]
    minimal_payload: tuple[str, ...]
    #: The item field that holds the source entity id the feed is chunked by.
    source_key: str
    #: The source column whose values are chunked into ranges.
    source_ids: Column[int]
    builder: Builder
    schema_file: str
    hash_excludes: tuple[str, ...] = ("modifiedAt", "updatedAt")
    #: A source table the feed needs (Adobe Commerce only tables); without it the feed is skipped.
    requires_table: str | None = None
    #: Every Magento table the feed reads: a resync checks them up front and names any missing.
    reads: tuple[str, ...] = ()

    def build(self, source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
        """The items of ``lo..hi`` as Commerce Services receive them: the builder's records with
        Adobe's presence rules applied (null fields left out, empty lists null; docs/feed-fields.md).
        What is hashed, stored and sent is this, so a builder stays plain and complete."""
        result = self.builder(source, lo, hi, known)
        record = RECORDS.get(self.name, PLAIN)
        seen: dict[tuple[int, int], Any] = {}  # shared rows are walked once per build
        result.items = [present(item, record, seen) for item in result.items]
        return result


def customer_group_code(customer_group_id: int) -> str:
    """The code Commerce Services know a customer group by: sha1 of its id (every feed uses it)."""
    return hashlib.sha1(str(customer_group_id).encode()).hexdigest()


def read_product_websites(conn: Connection, lo: int, hi: int) -> dict[int, list[int]]:
    """product id -> the websites it is assigned to, for products ``lo..hi``: one bulk query.

    Every product feed that fans out per website reads this same mapping, so they all agree on
    which products a website sells.
    """
    w = catalog_product_website
    websites: dict[int, list[int]] = defaultdict(list)
    for product_id, website_id in conn.execute(
        select(w.c.product_id, w.c.website_id).where(id_between(w.c.product_id, lo, hi))
    ):
        websites[product_id].append(website_id)
    return websites
