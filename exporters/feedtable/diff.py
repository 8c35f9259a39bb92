"""Change detection as pure functions: built items and existing feed rows in; the rows to write
and the items to send out. No I/O, so every rule is tested on plain values.

An item is sent when it is new, when its hash changed, or when its row's last status asks for a
resend (never sent, retryable). Only new and changed items are validated: an item whose hash
equals its row's was valid when that row was written, and skipping it keeps unchanged re-runs
cheap. Rows whose item vanished from the source become tombstones, built from the stored
payload and sent until accepted (docs/change-detection.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from exporters.clock import DATETIME_FORMAT
from exporters.feedtable.hashing import feed_hash, feed_id
from exporters.model import (
    RESEND_STATUSES,
    BuildResult,
    ErrorCode,
    FeedKeys,
    Item,
    ItemFailure,
    PendingItem,
    Status,
    identity_value,
)

#: A feed row as written: column name -> value.
Row = dict[str, Any]


class ExistingRow(NamedTuple):
    """The columns of a feed row that change detection reads (never ``feed_data``)."""

    feed_id: str
    source_entity_id: int
    feed_hash: str | None
    status: int
    is_deleted: int
    source_hash: str | None


@dataclass
class ChangeSet:
    """The outcome of change detection over one range of source ids."""

    to_send: list[PendingItem] = field(default_factory=list)
    #: Rows to insert or update: new and changed items, failed items, fresh tombstones.
    rows: list[Row] = field(default_factory=list)
    #: ``{"fid", "sh"}`` of unchanged rows built from changed source rows: their new fingerprint.
    fingerprints: list[dict[str, str]] = field(default_factory=list)
    #: Rows whose item is gone from the source and whose tombstone is not yet accepted.
    vanished: list[ExistingRow] = field(default_factory=list)
    built: int = 0
    new: int = 0
    changed: int = 0
    retried: int = 0
    unchanged: int = 0
    tombstones: int = 0
    #: Entities not assembled at all: their source fingerprint matched their settled rows.
    skipped_entities: int = 0
    failures: list[ItemFailure] = field(default_factory=list)


def settled(rows: Iterable[ExistingRow]) -> dict[int, str]:
    """Source ids whose rows were all built from one fingerprint and need no resend.

    A row that is deleted, failed, retryable or never sent keeps its entity off this list, so
    that entity is always built again.
    """
    fingerprints: dict[int, str | None] = {}
    for row in rows:
        sid = int(row.source_entity_id)
        is_settled = (
            row.source_hash is not None
            and row.feed_hash is not None
            and not row.is_deleted
            and row.status not in RESEND_STATUSES
        )
        fingerprint = row.source_hash if is_settled else None
        if fingerprints.get(sid, fingerprint) != fingerprint:
            fingerprint = None
        fingerprints[sid] = fingerprint
    return {sid: fp for sid, fp in fingerprints.items() if fp is not None}


def stored_payload(feed: FeedKeys, item: Item, *, full: bool) -> str:
    """What ``feed_data`` keeps of an item: the minimal payload a tombstone is built from, or all of it.

    Only the keys the item has, as Adobe's ``array_intersect_key``: a field left out for being
    null stays out of the tombstone too.
    """
    if full:
        return orjson.dumps(item).decode()
    return orjson.dumps({key: item[key] for key in feed.minimal_payload if key in item}).decode()


def feed_row(
    feed: FeedKeys, item: Item, fid: str, digest: str, source_hash: str | None, now: datetime, *, full: bool
) -> Row:
    """The feed row of a new or changed item, not yet sent."""
    return {
        "feed_id": fid,
        "source_entity_id": int(item[feed.source_key]),
        "modified_at": now,
        "is_deleted": 0,
        "status": int(Status.NEVER_SENT),
        "feed_data": stored_payload(feed, item, full=full),
        "feed_hash": digest,
        "source_hash": source_hash,
        "errors": None,
    }


def failure_row(feed: FeedKeys, failure: ItemFailure, now: datetime) -> Row | None:
    """A retryable row for an item that failed to build, so its tombstone can follow if it vanishes.

    None when the failure does not name a whole identity (the item cannot be keyed).
    """
    if failure.identity is None or any(v is None for v in failure.identity.values()):
        return None
    return {
        "feed_id": feed_id(failure.identity, feed.identity),
        "source_entity_id": failure.source_id,
        "modified_at": now,
        "is_deleted": 0,
        "status": int(Status.RETRYABLE),
        "feed_data": orjson.dumps({**failure.identity, feed.source_key: failure.source_id}).decode(),
        "feed_hash": None,
        "source_hash": None,
        "errors": failure.error,
    }


def diff(
    feed: FeedKeys,
    built: BuildResult,
    existing: Mapping[str, ExistingRow],
    *,
    now: datetime,
    check: Callable[[Item], str | None],
    force: bool = False,
    full_payload: bool = False,
) -> ChangeSet:
    """Compare one range's built items with its existing rows.

    ``check`` validates a new or changed item (None when valid, else the reason); ``force``
    sends unchanged items too. Vanished rows are listed in ``vanished``; ``bury`` turns them
    into tombstones once their stored payloads are read.
    """
    changes = ChangeSet(failures=list(built.failures), skipped_entities=len(built.skipped))
    seen: set[str] = set()
    if built.skipped:
        for fid, row in existing.items():
            if row.source_entity_id in built.skipped:
                seen.add(fid)
                changes.unchanged += 1
    for item in built.items:
        fid = feed_id(item, feed.identity)
        digest = feed_hash(item, feed.hash_excludes)
        source_hash = built.source_hashes.get(item[feed.source_key])
        old = existing.get(fid)
        if old is None or old.feed_hash != digest:
            error = check(item)
            if error is not None:
                identity = {key: identity_value(item, key) for key in feed.identity}
                changes.failures.append(ItemFailure(int(item[feed.source_key]), error, identity, ErrorCode.SCHEMA))
                continue
            if old is None:
                changes.new += 1
            else:
                changes.changed += 1
            changes.rows.append(feed_row(feed, item, fid, digest, source_hash, now, full=full_payload))
        elif force or old.status in RESEND_STATUSES:
            changes.retried += 1
        else:
            changes.unchanged += 1
            seen.add(fid)
            if source_hash is not None and old.source_hash != source_hash:
                changes.fingerprints.append({"fid": fid, "sh": source_hash})
            continue
        seen.add(fid)
        changes.to_send.append(PendingItem(fid, item))
    changes.built = changes.new + changes.changed + changes.retried + changes.unchanged
    _keep_failures(feed, changes, seen, now)
    changes.vanished = [
        old
        for fid, old in existing.items()
        if fid not in seen and not (old.is_deleted and old.status == Status.ACCEPTED)
    ]
    return changes


def _keep_failures(feed: FeedKeys, changes: ChangeSet, seen: set[str], now: datetime) -> None:
    """A retryable row for each failed item with a whole identity: it is not vanished, and its
    tombstone can follow if its entity goes."""
    for failure in changes.failures:
        failed = failure_row(feed, failure, now)
        if failed is not None:
            seen.add(failed["feed_id"])
            changes.rows.append(failed)


def tombstone(stored: str, now: datetime) -> Item:
    """The item that tells the target an entity is gone: its stored payload, marked deleted."""
    return {**orjson.loads(stored), "modifiedAt": now.strftime(DATETIME_FORMAT), "deleted": True}


def bury(feed: FeedKeys, changes: ChangeSet, stored: Mapping[str, str], now: datetime, lo: int) -> None:
    """Add a tombstone to send for every vanished row, and a tombstone row for each not yet one.

    ``stored`` holds the ``feed_data`` of the vanished rows. A row that is already a tombstone
    keeps its ``source_entity_id``: an upsert never moves a row to another range.
    """
    for old in changes.vanished:
        item = tombstone(stored[old.feed_id], now)
        if not old.is_deleted:
            changes.rows.append(
                {
                    "feed_id": old.feed_id,
                    "source_entity_id": int(item.get(feed.source_key) or lo),
                    "modified_at": now,
                    "is_deleted": 1,
                    "status": int(Status.NEVER_SENT),
                    "feed_data": orjson.dumps(item).decode(),
                    "feed_hash": feed_hash(item, feed.hash_excludes),
                    "source_hash": None,
                    "errors": None,
                }
            )
        changes.tombstones += 1
        changes.to_send.append(PendingItem(old.feed_id, item))
