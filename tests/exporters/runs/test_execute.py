"""Chunks and finalize as plain Python: counts, idempotence, the failure report, tombstones."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest
from sqlalchemy import delete, select, update

from exporters.exceptions import TerminalError
from exporters.feeds import PRODUCTS
from exporters.feedtable import FeedStore
from exporters.model import PendingItem, SendResult
from exporters.runs import RunPolicy, RunStore, Runtime, fail_chunk, finalize_run, process_chunk
from exporters.runs import lock as feed_lock
from exporters.runs.execute import deliver
from exporters.source import schema as s
from exporters.targets import FileTarget
from tests.support.catalog import Catalog
from tests.support.items import ndjson_items
from tests.support.runs import planned_run, run_chunks


def run_all(rt: Runtime, batch_size: int = 2) -> str:
    """Plan a products run and process each of its chunks; the run id."""
    return run_chunks(rt, PRODUCTS, batch_size=batch_size)


def test_chunks_then_finalize_total_the_run_and_free_the_feed(runtime: Runtime) -> None:
    # Given the six products run in chunks of two
    run_id = run_all(runtime)
    store = RunStore(runtime.feed_engine)
    # Then each chunk has its counts
    assert [(c.lo, c.hi, c.counts.built, c.counts.sent) for c in store.chunks(run_id)] == [
        (0, 20, 2, 2), (21, 40, 2, 2), (41, 2**63 - 1, 2, 2),
    ]  # fmt: skip
    # When the run is finalized
    run = finalize_run(runtime, run_id)
    # Then it totals its chunks and frees the feed
    assert run is not None
    assert (run.status, run.counts.built, run.counts.sent, run.counts.failed) == ("succeeded", 6, 6, 0)
    assert feed_lock.holder(runtime.feed_engine, "products") is None
    # finalizing again is a no-op
    again = finalize_run(runtime, run_id)
    assert again is not None and again.counts == run.counts and again.finished_at == run.finished_at


def test_a_chunk_delivered_again_after_it_finished_returns_its_counts(runtime: Runtime) -> None:
    # Given a run whose chunks all finished
    run_id = run_all(runtime)
    first = RunStore(runtime.feed_engine).chunk(run_id, 1)
    # When chunk 1 is delivered again to another worker
    counts = process_chunk(runtime, run_id, 1, "another worker")
    # Then it returns the counts it had, without running again
    assert counts == first.counts
    assert RunStore(runtime.feed_engine).chunk(run_id, 1).attempts == 1


def test_finalize_waits_for_unfinished_chunks_unless_by_hand(runtime: Runtime) -> None:
    # Given a run of two chunks of which only the first was processed
    run_id, _ = planned_run(runtime, PRODUCTS, batch_size=4)
    process_chunk(runtime, run_id, 0, "test")
    # When it is finalized, then nothing happens
    assert finalize_run(runtime, run_id) is None
    # When it is finalized by hand, then it fails, reporting the chunk that never finished
    run = finalize_run(runtime, run_id, by_hand=True)
    assert run is not None
    assert (run.status, run.error, run.counts.sent) == ("failed", "1 chunk(s) failed", 4)
    assert run.report == {
        "chunks": [
            {"seq": 1, "lo": 41, "hi": 2**63 - 1, "attempts": 0,
             "error": "never finished; the run was finalized by hand"}
        ],
        "errorCounts": {},
        "items": [],
        "itemsOmitted": 0,
    }  # fmt: skip


def test_a_failed_chunk_is_in_the_report(runtime: Runtime) -> None:
    # Given a run of two chunks: the first processed, the second failed
    run_id, _ = planned_run(runtime, PRODUCTS, batch_size=3)
    process_chunk(runtime, run_id, 0, "test")
    fail_chunk(runtime, run_id, 1, "target file://x is unavailable: disk full")
    # When it is finalized
    run = finalize_run(runtime, run_id)
    # Then it failed, with the chunk's error in its report
    assert run is not None and run.status == "failed"
    assert run.report is not None
    assert run.report["chunks"][0]["error"] == "target file://x is unavailable: disk full"


def test_an_emptied_catalog_is_planned_from_the_feed_table_and_tombstoned_in_finalize(
    runtime: Runtime, small_catalog: Catalog
) -> None:
    # Given every item was sent once
    assert finalize_run(runtime, run_all(runtime)) is not None
    # When every product disappears from the source
    with small_catalog.engine.begin() as conn:
        conn.execute(delete(s.catalog_product_website))
        conn.execute(delete(s.catalog_product_entity))
    run_id = run_all(runtime)
    # Then the feed table's ids still make chunks of two, each deferring its rows' tombstones
    chunks = RunStore(runtime.feed_engine).chunks(run_id)
    assert [(c.lo, c.hi, c.deletions, len(c.vanished_ids), c.counts.sent) for c in chunks] == [
        (0, 20, 2, 2, 0), (21, 40, 2, 2, 0), (41, 2**63 - 1, 2, 2, 0),
    ]  # fmt: skip
    # and finalize sends a tombstone for each of the six items (six is within the guard's ten)
    run = finalize_run(runtime, run_id)
    assert run is not None
    assert (run.status, run.counts.tombstones, run.counts.sent) == ("succeeded", 6, 6)
    assert isinstance(runtime.target, FileTarget)
    lines = ndjson_items(runtime.target.folder("products"), f"{run_id}-*")
    assert sorted((i["sku"], i["deleted"]) for i in lines) == [(f"SKU-{n}", True) for n in range(1, 7)]
    assert FeedStore(runtime.feed_engine, PRODUCTS, data_space=runtime.data_space).counts_by_status() == {200: 6}


def test_a_row_rebuilt_under_a_new_source_id_by_a_later_chunk_is_not_tombstoned(runtime: Runtime) -> None:
    # Given every item sent once, and SKU-3's row (product 30) stored under source id 5, in the first
    # chunk's range (a feed whose items changed the id they are chunked by, as categoryPermissions did)
    assert finalize_run(runtime, run_all(runtime)) is not None
    store = FeedStore(runtime.feed_engine, PRODUCTS, data_space=runtime.data_space)
    table = store.table
    with runtime.feed_engine.begin() as conn:
        conn.execute(update(table).where(table.c.source_entity_id == 30).values(source_entity_id=5))
    # When the feed is resynced: chunk 0..20 lists the row as vanished, chunk 21..40 rebuilds it under 30
    run_id = run_all(runtime)
    chunks = RunStore(runtime.feed_engine).chunks(run_id)
    assert [(c.lo <= 5 <= c.hi, len(c.vanished_ids)) for c in chunks if c.vanished_ids] == [(True, 1)]
    run = finalize_run(runtime, run_id)
    # Then finalize sends no tombstone for it: the item is still there, and its row is live under 30
    assert run is not None and (run.status, run.counts.tombstones) == ("succeeded", 0)
    assert isinstance(runtime.target, FileTarget)
    assert [i["sku"] for i in ndjson_items(runtime.target.folder("products"), f"{run_id}-*") if i["deleted"]] == []
    with runtime.feed_engine.connect() as conn:
        rows = conn.execute(select(table.c.source_entity_id, table.c.is_deleted).where(table.c.source_entity_id == 30))
        assert rows.all() == [(30, 0)]


def test_the_mass_delete_guard_stops_a_run_that_would_delete_too_much(runtime: Runtime, small_catalog: Catalog) -> None:
    # Given six accepted items, and a guard allowing 20% of them and no minimum
    runtime.policy = RunPolicy(mass_delete_share=0.2, mass_delete_min=0)
    assert finalize_run(runtime, run_all(runtime)) is not None
    before = FeedStore(runtime.feed_engine, PRODUCTS, data_space=runtime.data_space).counts_by_status()
    # When two products (33%) vanish from the source and the feed is resynced
    with small_catalog.engine.begin() as conn:
        conn.execute(delete(s.catalog_product_website).where(s.catalog_product_website.c.product_id.in_([10, 20])))
    run = finalize_run(runtime, run_all(runtime))
    # Then the run fails naming the numbers, sends no tombstone and leaves the feed table as it was
    assert run is not None and run.status == "failed"
    assert run.error == (
        "mass-delete guard: this run of products would delete 2 item(s) of the feed's 6 accepted (33%), more than "
        "the 20% allowed (SAAS_EXPORT_MASS_DELETE_SHARE; up to 0 always allowed). Nothing was deleted and the feed "
        "table is as it was. If the source really lost them, run again with --allow-mass-delete; otherwise check the "
        "source database (an emptied catalog_product_website, store or catalog table empties a feed)."
    )
    assert (run.counts.tombstones, run.counts.sent) == (0, 0)
    assert (
        FeedStore(runtime.feed_engine, PRODUCTS, data_space=runtime.data_space).counts_by_status() == before == {200: 6}
    )
    assert isinstance(runtime.target, FileTarget)
    assert ndjson_items(runtime.target.folder("products"), f"{run.run_id}-*") == []
    # When it runs again with --allow-mass-delete, then the two tombstones go
    allowed = finalize_run(runtime, run_chunks(runtime, PRODUCTS, batch_size=2, options={"allow_mass_delete": True}))
    assert allowed is not None and (allowed.status, allowed.counts.tombstones) == ("succeeded", 2)
    lines = ndjson_items(runtime.target.folder("products"), f"{allowed.run_id}-*")
    assert sorted((i["sku"], i["deleted"]) for i in lines) == [("SKU-1", True), ("SKU-2", True)]


def test_the_report_counts_every_failure_by_code_and_keeps_the_first_ones(
    runtime: Runtime, small_catalog: Catalog
) -> None:
    # Given two products whose status is neither enabled nor disabled (their items break the schema)
    for entity_id in (30, 40):
        small_catalog.set_value(entity_id, "status", "admin", 7)
    # When the feed is resynced
    run = finalize_run(runtime, run_all(runtime))
    # Then the run is partial and its report counts the two failures by code, with each item
    assert run is not None and (run.status, run.counts.failed, run.counts.sent) == ("partial", 2, 4)
    assert run.report is not None
    assert (run.report["errorCounts"], run.report["itemsOmitted"]) == ({"schema_violation": 2}, 0)
    assert [(i["code"], i["identity"]["sku"]) for i in run.report["items"]] == [
        ("schema_violation", "SKU-3"),
        ("schema_violation", "SKU-4"),
    ]


class TwoAtATime:
    """A target taking two batches at once, refusing the batch named ``refuse`` after its peer started."""

    description = "test://two-at-a-time"
    parallel = 2

    def __init__(self, refuse: str | None = None) -> None:
        self.refuse = refuse
        self.sent: list[str] = []
        self.both_in_flight = threading.Barrier(2, timeout=5)
        self.refusing = threading.Event()

    def batch_size(self, feed: str) -> int:
        return 2

    def send(self, feed: str, items: Sequence[PendingItem], batch_key: str) -> list[SendResult]:
        self.sent.append(batch_key)
        if batch_key.endswith(("-0000", "-0001")):
            self.both_in_flight.wait()  # the first two batches really are in flight together
        if batch_key == self.refuse:
            self.refusing.set()
            raise TerminalError("the key was refused")
        if self.refuse is not None and self.refusing.wait(timeout=5):
            # the peer answers only well after the refusal was raised, as a slower request does:
            # by then the chunk knows it failed, and its freed thread must start nothing more
            time.sleep(0.5)
        return [SendResult(p.feed_id, 200, metadata=batch_key) for p in items]


def pending(n: int) -> list[PendingItem]:
    return [PendingItem(f"id-{i}", {"sku": f"SKU-{i}"}) for i in range(n)]


def test_a_parallel_target_gets_batches_at_once_and_answers_keep_the_items_order(runtime: Runtime) -> None:
    # Given a target taking two batches at once
    runtime.target = target = TwoAtATime()
    # When seven items are delivered in batches of two
    results = deliver(runtime, PRODUCTS, pending(7), "run-000001")
    # Then all four batches were sent and each answer stands at its item's place
    assert sorted(target.sent) == [f"run-000001-{n:04d}" for n in range(4)]
    assert [(r.feed_id, r.metadata) for r in results] == [(f"id-{i}", f"run-000001-{i // 2:04d}") for i in range(7)]


def test_a_refused_batch_stops_the_batches_not_yet_started(runtime: Runtime) -> None:
    # Given a target taking two batches at once that refuses the first one
    runtime.target = target = TwoAtATime(refuse="run-000001-0000")
    # When ten items (five batches) are delivered
    with pytest.raises(TerminalError, match="the key was refused"):
        deliver(runtime, PRODUCTS, pending(10), "run-000001")
    # Then only the two batches in flight were sent
    assert sorted(target.sent) == ["run-000001-0000", "run-000001-0001"]
