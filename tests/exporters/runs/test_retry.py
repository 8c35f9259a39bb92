"""Retry runs, the tombstone purge and the failures per feed, as plain Python on a SQLite feed DB."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import orjson
import pytest
from sqlalchemy import insert, select, update

from exporters import clock
from exporters.feeds import PRODUCTS
from exporters.feedtable import diff, feed_hash, feed_id, feed_table
from exporters.model import BuildResult, RunStatus, Status
from exporters.runs import FeedLocked, RunStore, Runtime, finalize_run, process_chunk
from exporters.runs import lock as feed_lock
from exporters.runs.retry import (
    FeedFailures,
    Purged,
    failures,
    purge_tombstones,
    retryable_ids,
    start_retry,
    tight_ranges,
)
from tests.exporters.feedtable.test_diff import FEED, NOW, row_of, valid, widget
from tests.support.items import ndjson_items
from tests.support.runs import planned_run, run_chunks


def statuses(rt: Runtime) -> dict[int, int]:
    """source id -> status of the products rows (one store view: one row per product)."""
    table = feed_table(PRODUCTS.table)
    with rt.feed_engine.connect() as conn:
        return {
            int(r.source_entity_id): int(r.status)
            for r in conn.execute(select(table.c.source_entity_id, table.c.status))
        }


def set_status(rt: Runtime, ids: list[int], status: Status, error: str | None = None) -> None:
    table = feed_table(PRODUCTS.table)
    with rt.feed_engine.begin() as conn:
        conn.execute(update(table).where(table.c.source_entity_id.in_(ids)).values(status=int(status), errors=error))


def synced(rt: Runtime) -> None:
    """Every product of the small catalog accepted (a finished full resync)."""
    finalize_run(rt, run_chunks(rt, PRODUCTS, batch_size=10))
    assert set(statuses(rt).values()) == {200}


def test_tight_ranges_span_only_the_ids_they_hold() -> None:
    assert list(tight_ranges(iter([3, 9, 40, 41, 700]), 2)) == [(3, 9), (40, 41), (700, 700)]
    assert list(tight_ranges(iter([]), 5)) == []
    with pytest.raises(ValueError):
        list(tight_ranges(iter([1]), 0))


def test_a_retry_run_resends_retryable_items_and_never_rejected_ones(runtime: Runtime, tmp_path: Path) -> None:
    # Given six accepted products, then 20 and 50 retryable, 30 rejected (400) and 40 rejected inside
    # an accepted batch (1): the rejected ones lie inside the retry chunk's range
    synced(runtime)
    set_status(runtime, [20, 50], Status.RETRYABLE, "HTTP 500: down")
    set_status(runtime, [30], Status.REJECTED, "HTTP 400: bad")
    set_status(runtime, [40], Status.ITEM_REJECTED, "INVALID_ITEM: sku")
    # When a retry run is planned in chunks of two retryable ids, run and finalized
    planned = start_retry(runtime, PRODUCTS, batch_size=2, thread_count=1)
    assert planned is not None
    store = RunStore(runtime.feed_engine)
    assert [(c.lo, c.hi) for c in store.chunks(planned.run_id)] == [(20, 50)]
    store.set_status(planned.run_id, RunStatus.RUNNING)
    process_chunk(runtime, planned.run_id, 0, "test")
    run = finalize_run(runtime, planned.run_id)
    # Then exactly the two retryable items were sent and accepted; the rejected ones were not sent
    assert run is not None and run.options == {"kind": "retry"}
    assert (run.status, run.counts.sent, run.counts.failed) == ("succeeded", 2, 0)
    sent = ndjson_items(tmp_path / "out" / "space" / "products", f"{planned.run_id}-*.ndjson")
    assert sorted(item["sku"] for item in sent) == ["SKU-2", "SKU-5"]
    assert statuses(runtime) == {10: 200, 20: 200, 30: 400, 40: 1, 50: 200, 60: 200}
    assert feed_lock.holder(runtime.feed_engine, "products") is None
    # and a second retry finds nothing to do: no run row, the feed free
    assert start_retry(runtime, PRODUCTS, batch_size=2, thread_count=1) is None
    assert len(store.recent("products")) == 2


def test_a_retry_of_a_locked_feed_is_refused_and_leaves_no_run(runtime: Runtime) -> None:
    # Given a retryable product and a resync holding the feed
    synced(runtime)
    set_status(runtime, [10], Status.RETRYABLE)
    holder, _ = planned_run(runtime, PRODUCTS, batch_size=10)
    # When a retry is started, then it is refused naming the holder, and adds no run
    with pytest.raises(FeedLocked) as refused:
        start_retry(runtime, PRODUCTS, batch_size=10, thread_count=1)
    assert refused.value.run_id == holder
    assert len(RunStore(runtime.feed_engine).recent("products")) == 2


def test_retryable_ids_are_read_by_pages_in_the_data_space_only(runtime: Runtime) -> None:
    synced(runtime)
    set_status(runtime, [60, 20, 40], Status.RETRYABLE)
    table = feed_table(PRODUCTS.table)
    with runtime.feed_engine.connect() as conn:
        assert list(retryable_ids(conn, table, "space", page=2)) == [20, 40, 60]
        assert list(retryable_ids(conn, table, "other")) == []


def test_a_rejected_item_is_sent_again_once_its_hash_changes() -> None:
    # Given rows rejected (400) and rejected inside an accepted batch (1)
    a, b = widget(1, "A", "red"), widget(2, "B", "red")
    existing = {
        feed_id(a, FEED.identity): row_of(a, Status.REJECTED),
        feed_id(b, FEED.identity): row_of(b, Status.ITEM_REJECTED),
    }
    # When they are built unchanged, then neither is sent
    unchanged = diff(FEED, BuildResult(items=[a, b]), existing, now=NOW, check=valid)
    assert (unchanged.to_send, unchanged.unchanged) == ([], 2)
    # When both changed, then both are sent as changed items
    a2, b2 = widget(1, "A", "blue"), widget(2, "B", "blue")
    changed = diff(FEED, BuildResult(items=[a2, b2]), existing, now=NOW, check=valid)
    assert [p.item["sku"] for p in changed.to_send] == ["A", "B"]
    assert [(r["status"], r["feed_hash"]) for r in changed.rows] == [
        (0, feed_hash(a2, FEED.hash_excludes)),
        (0, feed_hash(b2, FEED.hash_excludes)),
    ]


def test_purge_removes_only_tombstones_accepted_before_the_age(runtime: Runtime) -> None:
    # Given tombstones accepted 8 and 6 days ago, one made 8 days ago but not accepted yet, an
    # accepted live row 30 days old, and an accepted old tombstone in another data space
    table = feed_table(PRODUCTS.table)
    at = clock.now().replace(microsecond=0)

    def row(sid: int, *, deleted: int, status: Status, days: float, space: str = "space") -> dict[str, object]:
        return {
            "source_entity_id": sid, "feed_id": f"f{sid}-{space}", "data_space": space, "is_deleted": deleted,
            "status": int(status), "modified_at": at - timedelta(days=days),
            "feed_data": orjson.dumps({"sku": f"S{sid}"}).decode(),
        }  # fmt: skip

    with runtime.feed_engine.begin() as conn:
        conn.execute(
            insert(table),
            [
                row(1, deleted=1, status=Status.ACCEPTED, days=8),
                row(2, deleted=1, status=Status.ACCEPTED, days=6),
                row(3, deleted=1, status=Status.RETRYABLE, days=8),
                row(4, deleted=0, status=Status.ACCEPTED, days=30),
                row(5, deleted=1, status=Status.ACCEPTED, days=9, space="other"),
            ],
        )
    # When tombstones older than seven days are purged
    purged = purge_tombstones(runtime, [PRODUCTS], 7)
    # Then only the two accepted ones older than seven days are gone (whatever their data space)
    assert purged == [Purged("products", 2)]
    with runtime.feed_engine.connect() as conn:
        assert sorted(conn.execute(select(table.c.feed_id)).scalars()) == ["f2-space", "f3-space", "f4-space"]


def test_failures_per_feed_count_retryable_and_rejected_with_the_latest_error(runtime: Runtime) -> None:
    # Given accepted products, two retryable and one rejected; the rejected one modified last
    synced(runtime)
    set_status(runtime, [10, 20], Status.RETRYABLE, "HTTP 500: down")
    set_status(runtime, [30], Status.ITEM_REJECTED, "INVALID_ITEM: sku")
    table = feed_table(PRODUCTS.table)
    with runtime.feed_engine.begin() as conn:
        conn.execute(
            update(table).where(table.c.source_entity_id == 30).values(modified_at=clock.now() + timedelta(minutes=1))
        )
    # Then the products feed lists 2 retryable and 1 rejected item with the latest error
    assert failures(runtime.feed_engine, "space", [PRODUCTS]) == [FeedFailures("products", 2, 1, "INVALID_ITEM: sku")]
