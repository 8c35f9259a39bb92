"""Change detection on plain values: built items and existing rows in, rows and items out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson

from exporters.feedtable import ExistingRow, bury, diff, feed_hash, feed_id, settled
from exporters.model import BuildResult, ErrorCode, Item, ItemFailure, PendingItem, Status

NOW = datetime(2026, 12, 1, 12, 30, 0)


@dataclass(frozen=True)
class Widgets:
    """A feed as change detection sees it: names, identity, hashing, minimal payload."""

    name: str = "widgets"
    table: str = "widgets_feed"
    identity: tuple[str, ...] = ("sku", "store")
    minimal_payload: tuple[str, ...] = ("id", "sku", "store")
    source_key: str = "id"
    hash_excludes: tuple[str, ...] = ("modifiedAt",)


FEED = Widgets()


def widget(entity_id: int, sku: str, color: str, store: str = "default") -> Item:
    return {"id": entity_id, "sku": sku, "store": store, "color": color, "modifiedAt": "2026-11-30 00:00:00"}


def row_of(item: Item, status: Status, *, deleted: bool = False, source_hash: str | None = None) -> ExistingRow:
    digest = feed_hash(item, FEED.hash_excludes)
    return ExistingRow(feed_id(item, FEED.identity), item["id"], digest, int(status), int(deleted), source_hash)


def valid(_: Item) -> str | None:
    return None


def test_a_new_item_gets_a_row_and_is_sent() -> None:
    # Given one built item and no rows
    item = widget(1, "W1", "red")
    # When the range is compared
    changes = diff(FEED, BuildResult(items=[item], source_hashes={1: "fp1"}), {}, now=NOW, check=valid)
    # Then it is new, written unsent with its minimal payload and fingerprint, and sent
    fid = feed_id(item, FEED.identity)
    assert changes.to_send == [PendingItem(fid, item)]
    assert changes.rows == [
        {
            "feed_id": fid,
            "source_entity_id": 1,
            "modified_at": NOW,
            "is_deleted": 0,
            "status": 0,
            "feed_data": '{"id":1,"sku":"W1","store":"default"}',
            "feed_hash": feed_hash(item, FEED.hash_excludes),
            "source_hash": "fp1",
            "errors": None,
        }
    ]
    assert (changes.built, changes.new, changes.changed, changes.unchanged, changes.retried) == (1, 1, 0, 0, 0)
    assert changes.vanished == []


def test_the_full_payload_is_kept_when_asked() -> None:
    item = widget(1, "W1", "red")
    changes = diff(FEED, BuildResult(items=[item]), {}, now=NOW, check=valid, full_payload=True)
    assert orjson.loads(changes.rows[0]["feed_data"]) == item


def test_an_unchanged_accepted_item_is_not_sent_but_its_new_fingerprint_is_kept() -> None:
    # Given an accepted row built from fingerprint "old"
    item = widget(1, "W1", "red")
    existing = {feed_id(item, FEED.identity): row_of(item, Status.ACCEPTED, source_hash="old")}
    # When the same item is built from source rows with fingerprint "new"
    changes = diff(FEED, BuildResult(items=[item], source_hashes={1: "new"}), existing, now=NOW, check=valid)
    # Then nothing is written or sent; only the fingerprint moves
    assert (changes.to_send, changes.rows, changes.unchanged) == ([], [], 1)
    assert changes.fingerprints == [{"fid": feed_id(item, FEED.identity), "sh": "new"}]


def test_retryable_and_never_sent_rows_are_sent_again_without_a_new_row() -> None:
    a, b, c = widget(1, "A", "red"), widget(2, "B", "red"), widget(3, "C", "red")
    existing = {
        feed_id(a, FEED.identity): row_of(a, Status.RETRYABLE),
        feed_id(b, FEED.identity): row_of(b, Status.NEVER_SENT),
        feed_id(c, FEED.identity): row_of(c, Status.REJECTED),
    }
    changes = diff(FEED, BuildResult(items=[a, b, c]), existing, now=NOW, check=valid)
    assert [p.item["sku"] for p in changes.to_send] == ["A", "B"]
    assert (changes.rows, changes.retried, changes.unchanged) == ([], 2, 1)


def test_force_sends_unchanged_items_too() -> None:
    item = widget(1, "W1", "red")
    existing = {feed_id(item, FEED.identity): row_of(item, Status.ACCEPTED)}
    changes = diff(FEED, BuildResult(items=[item]), existing, now=NOW, check=valid, force=True)
    assert (len(changes.to_send), changes.retried, changes.unchanged, changes.rows) == (1, 1, 0, [])


def test_a_changed_item_is_rewritten_unsent_and_sent() -> None:
    old, new = widget(1, "W1", "red"), widget(1, "W1", "blue")
    existing = {feed_id(old, FEED.identity): row_of(old, Status.ACCEPTED)}
    changes = diff(FEED, BuildResult(items=[new]), existing, now=NOW, check=valid)
    assert changes.to_send == [PendingItem(feed_id(new, FEED.identity), new)]
    assert [(r["status"], r["feed_hash"]) for r in changes.rows] == [(0, feed_hash(new, FEED.hash_excludes))]
    assert (changes.new, changes.changed) == (0, 1)


def test_an_invalid_item_fails_alone_and_keeps_a_retryable_row() -> None:
    # Given two new items, one of which the check refuses
    good, bad = widget(1, "OK", "red"), widget(2, "BAD", "none")

    def check(item: Item) -> str | None:
        return "color 'none' is not allowed" if item["color"] == "none" else None

    # When compared
    changes = diff(FEED, BuildResult(items=[good, bad]), {}, now=NOW, check=check)
    # Then the good one is sent, the bad one is a failure with its identity and a retryable row
    assert [p.item["sku"] for p in changes.to_send] == ["OK"]
    expected = ItemFailure(2, "color 'none' is not allowed", {"sku": "BAD", "store": "default"}, ErrorCode.SCHEMA)
    assert changes.failures == [expected]
    failed = next(r for r in changes.rows if r["feed_id"] == feed_id(bad, FEED.identity))
    assert (failed["status"], failed["errors"], failed["feed_hash"]) == (2, "color 'none' is not allowed", None)
    assert orjson.loads(failed["feed_data"]) == {"sku": "BAD", "store": "default", "id": 2}
    assert changes.built == 1


def test_a_build_failure_without_a_whole_identity_gets_no_row() -> None:
    built = BuildResult(failures=[ItemFailure(7, "no sku", {"sku": None, "store": "default"})])
    changes = diff(FEED, built, {}, now=NOW, check=valid)
    assert (changes.rows, changes.failures) == ([], built.failures)


def test_vanished_rows_become_tombstones_built_from_their_stored_payload() -> None:
    # Given an accepted row whose item is gone, a tombstone already accepted, and one not yet accepted
    gone, buried, pending = widget(4, "GONE", "red"), widget(5, "OLD", "red"), widget(6, "SENDING", "red")
    existing = {
        feed_id(gone, FEED.identity): row_of(gone, Status.ACCEPTED),
        feed_id(buried, FEED.identity): row_of(buried, Status.ACCEPTED, deleted=True),
        feed_id(pending, FEED.identity): row_of(pending, Status.RETRYABLE, deleted=True),
    }
    # When the range builds nothing
    changes = diff(FEED, BuildResult(), existing, now=NOW, check=valid)
    # Then the accepted tombstone is left alone
    assert [r.feed_id for r in changes.vanished] == [
        feed_id(gone, FEED.identity),
        feed_id(pending, FEED.identity),
    ]
    # When their stored payloads are turned into tombstones
    stored = {
        feed_id(gone, FEED.identity): '{"id":4,"sku":"GONE","store":"default"}',
        feed_id(pending, FEED.identity): '{"id":6,"sku":"SENDING","store":"default","deleted":true}',
    }
    bury(FEED, changes, stored, NOW, lo=1)
    # Then both are sent, and only the newly vanished one gets a tombstone row
    tomb = {"id": 4, "sku": "GONE", "store": "default", "modifiedAt": "2026-12-01 12:30:00", "deleted": True}
    assert [p.item for p in changes.to_send] == [
        tomb,
        {"id": 6, "sku": "SENDING", "store": "default", "deleted": True, "modifiedAt": "2026-12-01 12:30:00"},
    ]
    assert changes.rows == [
        {
            "feed_id": feed_id(gone, FEED.identity),
            "source_entity_id": 4,
            "modified_at": NOW,
            "is_deleted": 1,
            "status": 0,
            "feed_data": orjson.dumps(tomb).decode(),
            "feed_hash": feed_hash(tomb, FEED.hash_excludes),
            "source_hash": None,
            "errors": None,
        }
    ]
    assert changes.tombstones == 2


def test_entities_the_builder_skipped_are_unchanged_not_vanished() -> None:
    a, b = widget(1, "A", "red"), widget(1, "A", "red", store="fr")
    existing = {feed_id(i, FEED.identity): row_of(i, Status.ACCEPTED, source_hash="fp") for i in (a, b)}
    changes = diff(FEED, BuildResult(skipped={1}), existing, now=NOW, check=valid)
    assert (changes.unchanged, changes.skipped_entities, changes.vanished, changes.to_send) == (2, 1, [], [])


def test_settled_entities_are_those_whose_rows_share_one_fingerprint_and_need_no_resend() -> None:
    rows = [
        row_of(widget(1, "A", "x"), Status.ACCEPTED, source_hash="f1"),
        row_of(widget(1, "A", "x", store="fr"), Status.REJECTED, source_hash="f1"),
        row_of(widget(2, "B", "x"), Status.ACCEPTED, source_hash="f2"),
        row_of(widget(2, "B", "x", store="fr"), Status.RETRYABLE, source_hash="f2"),
        row_of(widget(3, "C", "x"), Status.ACCEPTED, source_hash="f3"),
        row_of(widget(3, "C", "x", store="fr"), Status.ACCEPTED, source_hash="other"),
        row_of(widget(4, "D", "x"), Status.ACCEPTED, deleted=True, source_hash="f4"),
        row_of(widget(5, "E", "x"), Status.ACCEPTED),
    ]
    assert settled(rows) == {1: "f1"}
