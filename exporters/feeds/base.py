"""What every feed declares: its identity, how it is stored, and how a range of source ids is built."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy import Column

from exporters.model import BuildResult
from exporters.source import MagentoSource

TMode = Literal["immediate", "legacy"]


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


def customer_group_code(customer_group_id: int) -> str:
    """The code Commerce Services know a customer group by: sha1 of its id (every feed uses it)."""
    return hashlib.sha1(str(customer_group_id).encode()).hexdigest()
