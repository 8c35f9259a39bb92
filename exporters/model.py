"""The words every stage shares: items, statuses, what a build returns, what a target answers.

Every package of ``exporters`` (and ``tasks``) imports this module and it imports none of
them, so a stage can be read, tested and replaced without the others. Statuses are enums whose
values are what the feed database stores (docs/change-detection.md, docs/cluster.md).
"""

from __future__ import annotations

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
    """Where a run is. A run is final once it succeeded, partly failed or failed."""

    #: Run row and feed lock written, chunks being planned.
    PLANNING = "planning"
    #: Chunks dispatched; executed by this process's own worker (the embedded default).
    EMBEDDED = "embedded"
    #: Chunks dispatched to the cluster's workers.
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    #: Every chunk ran, some items failed.
    PARTIAL = "partial"
    #: A chunk failed (or planning or dispatch did).
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self in (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED)

    @property
    def driven_by_planner(self) -> bool:
        """Whether the planning process itself is what moves the run on (so its death ends it)."""
        return self in (RunStatus.PLANNING, RunStatus.EMBEDDED)


class ChunkStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self in (ChunkStatus.DONE, ChunkStatus.FAILED)


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """One item that could not be built or was invalid; recorded with its error, the range goes on."""

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
