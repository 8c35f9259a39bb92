"""The chunk's path, start to end: build → diff → send → record; and finalizing a run.

A chunk commits its feed-row statuses and its chunk row in one transaction. A chunk delivered
again after that commit (a worker killed before its ack) finds its row finished and returns
the stored counts; delivered again before it, it finds its items still unsent (status 0) and
sends them again under the same batch keys, which the file target overwrites in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from more_itertools import chunked

from exporters import clock
from exporters.feeds import FeedSpec, get_feed, item_error
from exporters.feedtable import ChangeSet, FeedStore, bury, diff, settled
from exporters.model import ChunkStatus, Counts, PendingItem, RunStatus, SendResult, Status
from exporters.runs import lock
from exporters.runs.ranges import MAX_ID
from exporters.runs.runtime import Runtime
from exporters.runs.store import Chunk, Run, RunStore
from exporters.source import MagentoSource

#: Items per target request (the Commerce Services connector sends at most 100 per request;
#: file batches are larger to keep the number of files reasonable).
SEND_BATCH = 500
#: At most this many failed items are copied into a run's failure report.
REPORT_ITEMS = 1000


def collect(source: MagentoSource, store: FeedStore[FeedSpec], lo: int, hi: int, *, force: bool = False) -> ChangeSet:
    """Build source ids ``lo..hi``, compare them with their feed rows and write the outcome.

    Entities whose rows are settled (accepted or rejected, with the fingerprint of the source
    rows they were built from) are handed to the builder as known, so it can skip assembling
    them. ``force`` sends every built item whatever its hash. Returns what must be sent.
    """
    spec = store.feed
    spec = store.feed
    existing = store.existing(lo, hi)
    built = spec.builder(source, lo, hi, {} if force else settled(existing.values()))
    now = clock.now().replace(microsecond=0)  # feed rows keep whole seconds, as the items' dates
    changes = diff(
        spec,
        built,
        existing,
        now=now,
        check=partial(item_error, spec),
        force=force,
        full_payload=store.persist_full_payload,
    )
    with store.engine.begin() as conn:
        bury(spec, changes, store.stored_payloads(conn, [row.feed_id for row in changes.vanished]), now, lo)
        store.write(conn, changes.rows)
        store.refresh_fingerprints(conn, changes.fingerprints)
    return changes


def deliver(rt: Runtime, spec: FeedSpec, items: Sequence[PendingItem], key: str) -> list[SendResult]:
    """Send items in batches named ``<key>-<n>``, so a redelivered chunk reuses its batch names."""
    results: list[SendResult] = []
    for number, batch in enumerate(chunked(items, SEND_BATCH)):
        results.extend(rt.target.send(spec.name, batch, f"{key}-{number:04d}"))
    return results


def summarize(changes: ChangeSet, results: Sequence[SendResult]) -> tuple[Counts, list[dict[str, Any]]]:
    """The chunk's counts and the errors of its failed items (build failures and rejections)."""
    errors: list[dict[str, Any]] = [
        {"sourceId": f.source_id, "identity": f.identity, "error": f.error} for f in changes.failures
    ]
    rejected = [r for r in results if r.status != Status.ACCEPTED]
    errors.extend({"feedId": r.feed_id, "status": r.status, "error": r.error} for r in rejected)
    counts = Counts(
        built=changes.built,
        sent=len(results) - len(rejected),
        unchanged=changes.unchanged,
        failed=len(changes.failures) + len(rejected),
        tombstones=changes.tombstones,
    )
    return counts, errors


def sync_range(
    rt: Runtime, run: Run, store: FeedStore[FeedSpec], lo: int, hi: int, key: str
) -> tuple[ChangeSet, list[SendResult]]:
    """Collect and send one range; the caller records the results."""
    spec = store.feed
    # A legacy feed re-sends everything on a full resync (the original resets its submitted state).
    force = bool(run.options.get("force")) or spec.mode == "legacy"
    changes = collect(rt.source_for(run.run_id), store, lo, hi, force=force)
    return changes, deliver(rt, spec, changes.to_send, key)


def feed_store(rt: Runtime, feed: str) -> FeedStore[FeedSpec]:
    return FeedStore(rt.feed_engine, get_feed(feed), persist_full_payload=rt.persist_full_payload)


def process_chunk(rt: Runtime, run_id: str, seq: int, worker: str) -> Counts:
    """Build, diff, send and record one chunk; returns its counts (stored ones if it already ran)."""
    runs = RunStore(rt.feed_engine)
    run = runs.run(run_id)
    chunk = runs.start_chunk(run_id, seq, worker)
    if chunk is None:
        return runs.chunk(run_id, seq).counts
    store = feed_store(rt, run.feed)
    changes, results = sync_range(rt, run, store, chunk.lo, chunk.hi, f"{run_id}-{seq:06d}")
    counts, errors = summarize(changes, results)
    with rt.feed_engine.begin() as conn:
        store.record(results, conn)
        runs.finish_chunk(conn, run_id, seq, ChunkStatus.DONE, counts, errors)
    return counts


def fail_chunk(rt: Runtime, run_id: str, seq: int, error: str) -> Counts:
    """Record a chunk that could not complete (after its last retry, or a terminal error)."""
    runs = RunStore(rt.feed_engine)
    with rt.feed_engine.begin() as conn:
        runs.finish_chunk(conn, run_id, seq, ChunkStatus.FAILED, Counts(), [], error=error)
    return Counts()


def uncovered(chunks: Sequence[Chunk]) -> list[tuple[int, int]]:
    """The id ranges no chunk covered (all of them when the source had nothing to chunk)."""
    gaps, cursor = [], 0
    for chunk in sorted(chunks, key=lambda c: c.lo):
        if chunk.lo > cursor:
            gaps.append((cursor, chunk.lo - 1))
        cursor = max(cursor, chunk.hi + 1)
    if cursor <= MAX_ID:
        gaps.append((cursor, MAX_ID))
    return gaps


def run_outcome(chunks: Sequence[Chunk], failed_items: int) -> RunStatus:
    """Failed when a chunk failed, partial when only items did, else succeeded."""
    if any(c.status == ChunkStatus.FAILED for c in chunks):
        return RunStatus.FAILED
    return RunStatus.PARTIAL if failed_items else RunStatus.SUCCEEDED


def failure_report(chunks: Sequence[Chunk], items: list[dict[str, Any]]) -> dict[str, Any]:
    """The failed chunks, and the first ``REPORT_ITEMS`` failed items with how many were left out."""
    return {
        "chunks": [
            {"seq": c.seq, "lo": c.lo, "hi": c.hi, "attempts": c.attempts, "error": c.error}
            for c in chunks
            if c.status == ChunkStatus.FAILED
        ],
        "items": items[:REPORT_ITEMS],
        "itemsOmitted": max(0, len(items) - REPORT_ITEMS),
    }


def finalize_run(rt: Runtime, run_id: str, *, by_hand: bool = False) -> Run | None:
    """Total the chunk rows, tombstone what no chunk covered, close the run, free the feed.

    Idempotent: a finalized run is returned as it is (its lock released again if needed).
    Returns None while chunks are still pending, unless ``by_hand``, which records unfinished
    chunks as failed (``saas-export runs finalize`` on a run whose workers are gone).
    """
    runs = RunStore(rt.feed_engine)
    run = runs.run(run_id)
    if run.status.final:
        with rt.feed_engine.begin() as conn:
            lock.release(conn, run.feed, run_id)
        return run
    chunks = runs.chunks(run_id)
    unfinished = [c for c in chunks if not c.final]
    if unfinished and not by_hand:
        return None
    for chunk in unfinished:
        fail_chunk(rt, run_id, chunk.seq, "never finished; the run was finalized by hand")
    chunks = runs.chunks(run_id)

    store = feed_store(rt, run.feed)
    totals, report_items = Counts(), list[dict[str, Any]]()
    for chunk in chunks:
        totals.add(chunk.counts)
        report_items.extend({"chunk": chunk.seq, **error} for error in chunk.item_errors)
    gap_results: list[SendResult] = []
    for number, (lo, hi) in enumerate(uncovered(chunks)):
        changes, results = sync_range(rt, run, store, lo, hi, f"{run_id}-final-{number:04d}")
        counts, errors = summarize(changes, results)
        totals.add(counts)
        report_items.extend({"chunk": None, **error} for error in errors)
        gap_results.extend(results)

    status = run_outcome(chunks, totals.failed)
    failed_chunks = sum(c.status == ChunkStatus.FAILED for c in chunks)
    error = f"{failed_chunks} chunk(s) failed" if failed_chunks else None
    with rt.feed_engine.begin() as conn:
        store.record(gap_results, conn)
        runs.close_run(conn, run_id, status, totals, failure_report(chunks, report_items), error)
        lock.release(conn, run.feed, run_id)
    return runs.run(run_id)
