"""What every feed declares, and what building a range of source ids returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from sqlalchemy import Column

from exporters.source import MagentoSource

Item = dict[str, Any]
TMode = Literal["immediate", "legacy"]


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """One item that could not be built; recorded with its error, the range goes on."""

    source_id: int
    error: str
    identity: dict[str, Any] | None = None


@dataclass(slots=True)
class BuildResult:
    """The items of one range of source ids, plus the items that failed.

    ``source_hashes`` fingerprints each built entity's source rows; ``skipped`` lists the
    entities whose fingerprint matched the one the caller already knew, so their items were
    not assembled at all (nothing they depend on changed).
    """

    items: list[Item] = field(default_factory=list)
    failures: list[ItemFailure] = field(default_factory=list)
    source_hashes: dict[int, str] = field(default_factory=dict)
    skipped: set[int] = field(default_factory=set)


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


def format_datetime(value: datetime | str | None) -> str | None:
    """Dates as the original feeds write them: ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite can hand back text for DATETIME columns
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
