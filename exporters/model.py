"""The words every stage shares: items, statuses, what a build returns, what a target answers.

Every package of ``exporters`` (and ``tasks``) imports this module and it imports none of
them, so a stage can be read, tested and replaced without the others. Statuses are enums whose
values are what the feed database stores (docs/change-detection.md, docs/cluster.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import IntEnum, StrEnum
from typing import Any, Protocol

#: One feed item: a JSON object with the original feed's camelCase keys.
Item = dict[str, Any]


class Status(IntEnum):
    """A feed row's delivery status, with the original exporter's codes (``DataExporter/Status``)."""

    NEVER_SENT = 0
    ACCEPTED = 200
    REJECTED = 400
    ITEM_REJECTED = 1
    RETRYABLE = 2

    @property
    def needs_resend(self) -> bool:
        """Whether an unchanged item with this status is sent again (``isSendNeeded``)."""
        return self in (Status.NEVER_SENT, Status.RETRYABLE)


#: The statuses whose unchanged items are sent again.
RESEND_STATUSES = frozenset(int(s) for s in Status if s.needs_resend)


class RunStatus(StrEnum):
    """Where a run is. A run is final once it succeeded, partly failed, failed or was cancelled."""

    #: Run row and feed lock written, chunks being planned.
    PLANNING = "planning"
    #: Chunks dispatched; executed by the planning process's own worker (the embedded default).
    EMBEDDED = "embedded"
    #: Chunks dispatched to the cluster's workers.
    RUNNING = "running"
    #: Every chunk is final; the run's totals, tombstones and report are being written.
    FINALIZING = "finalizing"
    SUCCEEDED = "succeeded"
    #: Every chunk ran, some items failed.
    PARTIAL = "partial"
    #: A chunk failed (or planning, dispatch or the mass-delete guard stopped the run).
    FAILED = "failed"
    #: Stopped by ``saas-export runs cancel``: its chunks do nothing more.
    CANCELLED = "cancelled"

    @property
    def final(self) -> bool:
        return self in (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED, RunStatus.CANCELLED)

    @property
    def dispatched(self) -> bool:
        """Whether its chunks may be claimed and run."""
        return self in (RunStatus.EMBEDDED, RunStatus.RUNNING)


class ChunkStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self in (ChunkStatus.DONE, ChunkStatus.FAILED)


class ErrorCode(StrEnum):
    """Why an item failed; a run's report counts its failures by these codes (docs/reliability.md)."""

    #: The source rows could not make an item (an orphan link, a product without sku, ...).
    BUILD = "build_error"
    #: The built item breaks the feed's JSON Schema.
    SCHEMA = "schema_violation"
    #: The target rejected the batch (HTTP 400): not retried until the item changes.
    REJECTED = "rejected"
    #: The target rejected this item inside an accepted batch.
    ITEM_REJECTED = "item_rejected"
    #: The target could not take it now (network, 429, 5xx): retried later.
    RETRYABLE = "retryable"

    @classmethod
    def of_status(cls, status: int) -> ErrorCode:
        """The code of an item the target did not accept, from its feed-row status."""
        if status == Status.REJECTED:
            return cls.REJECTED
        return cls.ITEM_REJECTED if status == Status.ITEM_REJECTED else cls.RETRYABLE


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """One item that could not be built or was invalid; recorded with its error, the range goes on."""

    source_id: int
    error: str
    identity: dict[str, Any] | None = None
    code: ErrorCode = ErrorCode.BUILD


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


@dataclass(frozen=True, slots=True)
class PendingItem:
    """An item to send, keyed by its feed row."""

    feed_id: str
    item: Item


@dataclass(frozen=True, slots=True)
class SendResult:
    """What the target said about one item."""

    feed_id: str
    status: int
    error: str | None = None
    metadata: str | None = None


@dataclass
class Counts:
    """What a chunk or a run did with its items (stored as the columns of the same names)."""

    built: int = 0
    sent: int = 0
    unchanged: int = 0
    failed: int = 0
    tombstones: int = 0

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def add(self, other: Counts) -> None:
        for name in self.names():
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.names()}

    @classmethod
    def of(cls, row: Any) -> Counts:
        return cls(**{name: int(getattr(row, name) or 0) for name in cls.names()})


def identity_value(item: Mapping[str, Any], key: str) -> Any:
    """One identity value of an item; ``key`` may be a dotted path into a nested record.

    Adobe keys some feeds by fields of a nested record (categoryPermissions: ``id.categoryId``).
    A flat key of that spelling wins (failure rows keep their identity flat); an item stored
    before its identity moved into the record (a tombstone of an older feed row) still answers
    by the path's last name.
    """
    if key in item or "." not in key:
        return item.get(key)
    value: Any = item
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return item.get(key.rsplit(".", 1)[1])
        value = value[part]
    return value


class FeedKeys(Protocol):
    """What the feed table needs to know of a feed: how items are named, hashed and kept.

    ``exporters.feeds.FeedSpec`` provides it; the feed table never needs to know how a feed is
    built.
    """

    @property
    def name(self) -> str: ...

    @property
    def table(self) -> str: ...

    @property
    def identity(self) -> tuple[str, ...]: ...

    @property
    def minimal_payload(self) -> tuple[str, ...]: ...

    @property
    def source_key(self) -> str: ...

    @property
    def hash_excludes(self) -> tuple[str, ...]: ...
