"""The chunk's path, start to end: claim → build → diff → send → record → hand the lane on; and
finalizing a run: the mass-delete guard, the deferred tombstones, the report.

A chunk writes its result only while its claim is current, in one transaction with its items'
statuses; a chunk delivered again finds its row final and does nothing more; the lane is carried
on, and finalize sent, by exactly one caller (``RunStore.hand_on``/``send_finalize``). Nothing
here publishes a message: the Celery layer sends what ``next_step`` says (docs/reliability.md).
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson
from more_itertools import chunked
from sqlalchemy import select

from exporters import clock
from exporters.exceptions import error_line
from exporters.feeds import FeedSpec, get_feed, item_error
from exporters.feedtable import ChangeSet, FeedStore, bury, diff, settled
from exporters.feedtable.diff import feed_row, tombstone
from exporters.feedtable.hashing import feed_hash
from exporters.feedtable.migrate import feed_db_faults
from exporters.model import BuildResult, ChunkStatus, Counts, ErrorCode, PendingItem, RunStatus, SendResult, Status
from exporters.runs import byids, lock
from exporters.runs.exceptions import ClaimLost, LiveChunks, MassDeleteRefused
from exporters.runs.lease import LeaseKeeper
from exporters.runs.runtime import Runtime
from exporters.runs.store import Chunk, Claim, Claimed, Run, RunStore
from exporters.runs.submit import is_legacy, submit
from exporters.source import MagentoSource
from exporters.targets import TargetKeyRefused

#: At most this many failed items are kept in a chunk's item errors and in a run's report
#: (docs/reliability.md); every failure is still counted by its error code.
REPORT_ITEMS = 1000

log = logging.getLogger(__name__)


def collect(
    source: MagentoSource,
    store: FeedStore[FeedSpec],
    lo: int,
    hi: int,
    *,
    force: bool = False,
    bury_vanished: bool = True,
    write: bool = True,
    only: set[int] | None = None,
) -> ChangeSet:
    """Build source ids ``lo..hi``, compare them with their feed rows and write the outcome.

    Entities whose rows are settled (accepted or rejected, with the fingerprint of the source
    rows they were built from) are handed to the builder as known, so it can skip assembling
    them. ``force`` sends every built item whatever its hash. Rows whose item vanished become
    tombstones here, or with ``bury_vanished=False`` are left as they are and listed in
    ``vanished`` (a run's chunks defer them to finalize, behind the mass-delete guard).
    ``write=False`` (a dry run) writes nothing. ``only`` (``--by-ids``) keeps just those source
    ids' items and rows: the range's other entities are neither compared, written nor sent.
    Returns what must be sent.
    """
    spec = store.feed
    existing = store.existing(lo, hi)
    if only is not None:
        existing = {fid: row for fid, row in existing.items() if int(row.source_entity_id) in only}
    built = spec.build(source, lo, hi, {} if force else settled(existing.values()))
    if only is not None:
        built = BuildResult(
            [item for item in built.items if int(item[spec.source_key]) in only],
            [failure for failure in built.failures if failure.source_id in only],
            {sid: digest for sid, digest in built.source_hashes.items() if sid in only},
            built.skipped & only,
        )
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
    if not write:
        return changes
    with store.engine.begin() as conn:
        if bury_vanished:
            bury(spec, changes, store.stored_payloads(conn, [row.feed_id for row in changes.vanished]), now, lo)
        store.write(conn, changes.rows)
        store.refresh_fingerprints(conn, changes.fingerprints)
    return changes


def deliver(
    rt: Runtime, spec: FeedSpec, items: Sequence[PendingItem], key: str, before: Callable[[], None] = lambda: None
) -> list[SendResult]:
    """Send items in batches named ``<key>-<n>``, so a redelivered chunk reuses its batch names.

    ``before`` runs before each batch (a chunk checks there that its claim is still current).
    A target that takes several requests at once (``parallel``) gets that many batches in flight,
    so a chunk does not wait for each answer in turn; the results keep the items' order. A failed
    batch (a refused key, a lost claim) ends the chunk: batches not yet started are never sent.
    """
    batches = list(chunked(items, rt.target.batch_size(spec.name)))
    failed = threading.Event()

    def send(number: int) -> list[SendResult]:
        if failed.is_set():
            return []  # a batch already failed the chunk; its error is raised below
        try:
            before()
            return rt.target.send(spec.name, batches[number], f"{key}-{number:04d}")
        except BaseException:
            failed.set()
            raise

    width = min(rt.target.parallel, len(batches))
    if width <= 1:
        return [result for number in range(len(batches)) for result in send(number)]
    pool = ThreadPoolExecutor(width, thread_name_prefix=f"send-{key[:8]}")
    try:
        return [result for answered in pool.map(send, range(len(batches))) for result in answered]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def summarize(changes: ChangeSet, results: Sequence[SendResult]) -> tuple[Counts, dict[str, Any]]:
    """The chunk's counts and its item errors: counts by code and the first ``REPORT_ITEMS``."""
    errors: list[dict[str, Any]] = [
        {"code": f.code, "sourceId": f.source_id, "identity": f.identity, "error": f.error} for f in changes.failures
    ]
    rejected = [r for r in results if r.status != Status.ACCEPTED]
    errors.extend(
        {"code": ErrorCode.of_status(r.status), "feedId": r.feed_id, "status": r.status, "error": r.error}
        for r in rejected
    )
    counts = Counts(
        built=changes.built,
        sent=len(results) - len(rejected),
        unchanged=changes.unchanged,
        failed=len(changes.failures) + len(rejected),
        tombstones=changes.tombstones,
    )
    return counts, item_errors(errors)


def item_errors(errors: Sequence[dict[str, Any]], counts: Counter[str] | None = None) -> dict[str, Any]:
    """Failed items as stored: every one counted by code, the first ``REPORT_ITEMS`` kept."""
    by_code = counts if counts is not None else Counter(str(e["code"]) for e in errors)
    if not by_code:
        return {}
    return {"counts": dict(sorted(by_code.items())), "items": list(errors[:REPORT_ITEMS])}


def feed_store(rt: Runtime, feed: str) -> FeedStore[FeedSpec]:
    """The feed's rows in this data space. A legacy feed keeps whole items, as the original's
    legacy tables do: ``--no-reindex`` resends them without building (docs/resync-options.md)."""
    spec = get_feed(feed)
    full = rt.persist_full_payload or spec.mode == "legacy"
    return FeedStore(rt.feed_engine, spec, data_space=rt.data_space, persist_full_payload=full)


def stored_items(store: FeedStore[FeedSpec], lo: int, hi: int) -> ChangeSet:
    """Every row of source ids ``lo..hi`` as it is stored, to send again (``--no-reindex`` on a
    legacy feed): nothing is built; a tombstone row holds its tombstone."""
    t = store.table
    query = (
        select(t.c.feed_id, t.c.feed_data)
        .where(t.c.data_space == store.data_space, t.c.source_entity_id.between(lo, hi))
        .order_by(t.c.feed_id)
    )
    changes = ChangeSet()
    with store.engine.connect() as conn:
        changes.to_send = [PendingItem(row.feed_id, orjson.loads(row.feed_data)) for row in conn.execute(query)]
    changes.retried = len(changes.to_send)
    return changes


def dry_run_counts(rt: Runtime, store: FeedStore[FeedSpec], run_id: str, changes: ChangeSet) -> Counts:
    """What the chunk would do, sending and writing nothing: its items to send, unchanged, failed,
    and its deletions. With ``EXPORTER_EXTENDED_LOG`` the payloads are logged as the original does."""
    spec = store.feed
    if rt.extended_log:
        items = [pending.item for pending in changes.to_send]
        if changes.vanished:
            now = clock.now().replace(microsecond=0)
            with store.engine.connect() as conn:
                stored = store.stored_payloads(conn, [row.feed_id for row in changes.vanished])
            items.extend(tombstone(stored[row.feed_id], now) for row in changes.vanished)
        if items:
            payload = orjson.dumps({"feed": spec.name, "data": items}, option=orjson.OPT_INDENT_2).decode()
            log.info("dry run %s: %d item(s) would be sent to %s:\n%s", run_id, len(items), rt.target.description,
                     payload)  # fmt: skip
    return Counts(
        built=changes.built,
        sent=len(changes.to_send) + len(changes.vanished),  # as a run counts them: tombstones are sent too
        unchanged=changes.unchanged,
        failed=len(changes.failures),
        tombstones=len(changes.vanished),
    )


def claim_chunk(rt: Runtime, run_id: str, seq: int, worker: str) -> Claim:
    policy = rt.policy
    with feed_db_faults(rt.feed_engine):
        return RunStore(rt.feed_engine).claim(
            run_id, seq, worker, lease=policy.chunk_lease, run_lease=policy.run_lease, max_attempts=policy.max_attempts
        )


def execute_chunk(rt: Runtime, claim: Claim) -> Counts:
    """Build, diff, send and record a claimed chunk, renewing its lease while it works.

    Raises ``ClaimLost`` (nothing recorded) when the claim stopped being current, a
    ``TransientError`` when a database or the target failed for now (the caller retries).
    """
    chunk, token = claim.chunk, claim.token
    assert chunk is not None and token is not None
    runs = RunStore(rt.feed_engine)
    with feed_db_faults(rt.feed_engine):
        run = runs.run(chunk.run_id)
        store = feed_store(rt, run.feed)
        spec = store.feed
        options = run.options
        dry_run, cleanup = bool(options.get("dry_run")), bool(options.get("cleanup_feed"))
        # A dry run of --cleanup-feed counts every item, as the emptied table would make a run send them.
        force = bool(options.get("force")) or (dry_run and cleanup)
        only = byids.chunk_ids(rt.feed_engine, run.run_id, chunk.lo, chunk.hi) if options.get("by_ids") else None
        force = force or only is not None  # --by-ids sends the requested entities whatever their hash
        if run.options.get("kind") == "retry":  # a retry run sends only what asks for it (exporters/runs/retry.py)
            force = False
        # A legacy feed's resync collects: its chunks write rows, finalize submits them (exporters/runs/submit.py).
        collecting = collects(run, spec)
        lease = LeaseKeeper(
            runs, run.run_id, chunk.seq, token, lease=rt.policy.chunk_lease, run_lease=rt.policy.run_lease
        )
        with lease:
            if options.get("no_reindex") and spec.mode == "legacy":
                changes = stored_items(store, chunk.lo, chunk.hi)
            else:
                source = rt.source_for(run.run_id)
                changes = collect(
                    source, store, chunk.lo, chunk.hi, force=force, bury_vanished=False, write=not dry_run, only=only
                )
            if dry_run:
                if cleanup:
                    changes.vanished = []  # the emptied table would hold nothing to delete
                return _finish_dry_run(rt, runs, run, chunk, token, dry_run_counts(rt, store, run.run_id, changes))
            if collecting:
                results: list[SendResult] = []
                with rt.feed_engine.begin() as conn:
                    store.write(conn, touched_rows(store, changes))
            else:
                results = send_chunk(rt, spec, changes, run.run_id, chunk.seq, lease)
            counts, errors = summarize(changes, results)
            with rt.feed_engine.begin() as conn:
                store.record(results, conn)
                written = runs.finish_chunk(
                    conn,
                    run.run_id,
                    chunk.seq,
                    ChunkStatus.DONE,
                    counts,
                    errors,
                    token=token,
                    vanished_ids=[row.feed_id for row in changes.vanished],
                    deletions=sum(not row.is_deleted for row in changes.vanished),
                )
                if not written:
                    raise ClaimLost(run.run_id, chunk.seq)  # rolls the statuses back too: the new holder records
    return counts


def collects(run: Run, spec: FeedSpec) -> bool:
    """Whether the run's chunks only collect (a legacy feed's resync; not its retry run, its
    ``--no-reindex`` resubmit, or a dry run), leaving the sending to the submit step."""
    options = run.options
    plain = not (options.get("kind") == "retry" or options.get("no_reindex") or options.get("dry_run"))
    return is_legacy(spec) and plain


def touched_rows(store: FeedStore[FeedSpec], changes: ChangeSet) -> list[dict[str, Any]]:
    """Rows of items to send that ``collect`` did not write (unchanged but forced, or waiting for a
    resend): written again as never sent, modified now, so the submit step sends them."""
    spec = store.feed
    written = {row["feed_id"] for row in changes.rows}
    now = clock.now().replace(microsecond=0)
    return [
        feed_row(spec, p.item, p.feed_id, feed_hash(p.item, spec.hash_excludes), None, now, full=True)
        for p in changes.to_send
        if p.feed_id not in written
    ]


def send_chunk(
    rt: Runtime, spec: FeedSpec, changes: ChangeSet, run_id: str, seq: int, lease: LeaseKeeper
) -> list[SendResult]:
    """Send an immediate feed's chunk; a refused key stops the run (every other chunk would be refused too)."""
    try:
        return deliver(rt, spec, changes.to_send, f"{run_id}-{seq:06d}", before=lease.check)
    except TargetKeyRefused as exc:
        stop_run(rt, run_id, str(exc))
        raise


def _finish_dry_run(rt: Runtime, runs: RunStore, run: Run, chunk: Chunk, token: str, counts: Counts) -> Counts:
    """Record a dry run's chunk: its counts only (no vanished ids, so finalize sends no tombstone)."""
    with rt.feed_engine.begin() as conn:
        if not runs.finish_chunk(conn, run.run_id, chunk.seq, ChunkStatus.DONE, counts, {}, token=token):
            raise ClaimLost(run.run_id, chunk.seq)
    return counts


def process_chunk(rt: Runtime, run_id: str, seq: int, worker: str) -> Counts:
    """Claim and run one chunk in this process; its stored counts when it had already finished.

    (The Celery task does the same with retries, and hands the lane on.)
    """
    claim = claim_chunk(rt, run_id, seq, worker)
    if claim.result is Claimed.CLAIMED:
        return execute_chunk(rt, claim)
    return claim.chunk.counts if claim.chunk is not None else Counts()


def fail_chunk(rt: Runtime, run_id: str, seq: int, error: str, token: str | None = None) -> bool:
    """Record a chunk that could not complete (a terminal error, or its last retry); whether it was
    written (with ``token``: only while that claim is current)."""
    runs = RunStore(rt.feed_engine)
    with feed_db_faults(rt.feed_engine), rt.feed_engine.begin() as conn:
        return runs.finish_chunk(conn, run_id, seq, ChunkStatus.FAILED, Counts(), token=token, error=error)


def release_chunk(rt: Runtime, run_id: str, seq: int, token: str, reason: str) -> None:
    """Give a claim back so that the task's retry can claim the chunk again."""
    with feed_db_faults(rt.feed_engine):
        RunStore(rt.feed_engine).release(run_id, seq, token, reason)


def describe_failure(exc: BaseException) -> str:
    """A chunk's error text: the exception's kind and its first line (never SQL or its parameters)."""
    return f"{type(exc).__name__}: {error_line(exc)}"


@dataclass(frozen=True)
class NextStep:
    """What the Celery layer sends after a chunk became final."""

    #: The lane's next chunk, if the lane has one.
    chunk: int | None = None
    #: Every chunk of the run is final: send the run's finalize.
    finalize: bool = False


def next_step(rt: Runtime, run_id: str, seq: int) -> NextStep:
    """Carry the lane on after chunk ``seq``, if this caller is the one to (exactly once per chunk)."""
    with feed_db_faults(rt.feed_engine):
        decided = RunStore(rt.feed_engine).hand_on(run_id, seq)
    return NextStep() if decided is None else NextStep(*decided)


def take_back(rt: Runtime, run_id: str, seq: int, step: NextStep) -> None:
    """Sending ``step`` failed: leave it to a redelivery or the sweeper."""
    runs = RunStore(rt.feed_engine)
    with feed_db_faults(rt.feed_engine):
        runs.take_back_hand_on(run_id, seq)
        if step.finalize:
            runs.take_back_finalize(run_id)


def stop_run(rt: Runtime, run_id: str, error: str) -> None:
    """Close a dispatched run as failed at once: its remaining chunks do nothing; its feed is free."""
    runs = RunStore(rt.feed_engine)
    with feed_db_faults(rt.feed_engine):
        run, chunks = runs.run(run_id), runs.chunks(run_id)
        totals = Counts()
        for chunk in chunks:
            totals.add(chunk.counts)
        report = failure_report(chunks, Counter(), [])
        with rt.feed_engine.begin() as conn:
            dispatched = [RunStatus.EMBEDDED, RunStatus.RUNNING]
            if runs.close_run(conn, run_id, RunStatus.FAILED, totals, report, error, only_from=dispatched):
                lock.release(conn, run.feed, run_id)


def run_outcome(chunks: Sequence[Chunk], failed_items: int) -> RunStatus:
    """Failed when a chunk failed, partial when only items did, else succeeded."""
    if any(c.status == ChunkStatus.FAILED for c in chunks):
        return RunStatus.FAILED
    return RunStatus.PARTIAL if failed_items else RunStatus.SUCCEEDED


def failure_report(chunks: Sequence[Chunk], counts: Counter[str], items: list[dict[str, Any]]) -> dict[str, Any]:
    """The failed chunks, failures by error code, and the first ``REPORT_ITEMS`` failed items."""
    failed = [c for c in chunks if c.status == ChunkStatus.FAILED]
    return {
        "chunks": [{"seq": c.seq, "lo": c.lo, "hi": c.hi, "attempts": c.attempts, "error": c.error} for c in failed],
        "errorCounts": dict(sorted(counts.items())),
        "items": items[:REPORT_ITEMS],
        "itemsOmitted": max(0, sum(counts.values()) - min(len(items), REPORT_ITEMS)),
    }


def deletion_allowance(rt: Runtime, accepted: int) -> int:
    """How many items a run may tombstone without ``--allow-mass-delete``."""
    return max(rt.policy.mass_delete_min, math.floor(rt.policy.mass_delete_share * accepted))


def finalize_run(rt: Runtime, run_id: str, *, by_hand: bool = False, force: bool = False) -> Run | None:
    """Total the chunk rows, apply the mass-delete guard, send the deferred tombstones, close the
    run and free the feed.

    Idempotent: a final run is returned as it is (its lock released again if needed). Returns
    None while chunks are unfinished, or while another finalizer holds the run. ``by_hand``
    (``saas-export runs finalize``) records unfinished chunks as failed, but refuses while a
    chunk is being worked on unless ``force``.
    """
    runs = RunStore(rt.feed_engine)
    with feed_db_faults(rt.feed_engine):
        run = runs.run(run_id)
        if run.status.final:
            with rt.feed_engine.begin() as conn:
                lock.release(conn, run.feed, run_id)
            return run
        chunks = runs.chunks(run_id)
        unfinished = [c for c in chunks if not c.final]
        if unfinished and not by_hand:
            return None
        live = [c.seq for c in unfinished if c.live(clock.now())]
        if live and not force:
            raise LiveChunks(run_id, live)
        finalizer = runs.begin_finalize(run_id, lease=rt.policy.run_lease, force=by_hand)
        if finalizer is None:
            return None
        for chunk in unfinished:
            fail_chunk(rt, run_id, chunk.seq, "never finished; the run was finalized by hand")
        return _close(rt, runs, runs.run(run_id), runs.chunks(run_id), finalizer)


def _close(rt: Runtime, runs: RunStore, run: Run, chunks: list[Chunk], finalizer: str) -> Run:
    store = feed_store(rt, run.feed)
    totals, by_code, items = Counts(), Counter[str](), list[dict[str, Any]]()
    for chunk in chunks:
        totals.add(chunk.counts)
        by_code.update(chunk.item_errors.get("counts", {}))
        items.extend({"chunk": chunk.seq, **error} for error in chunk.item_errors.get("items", ()))
    deletions = sum(chunk.deletions for chunk in chunks)
    accepted = run.accepted_before or 0
    error: str | None = None
    if deletions > deletion_allowance(rt, accepted) and not run.options.get("allow_mass_delete"):
        status = RunStatus.FAILED
        error = str(MassDeleteRefused(run.feed, deletions, accepted, rt.policy.mass_delete_share,
                                      rt.policy.mass_delete_min))  # fmt: skip
    else:
        for chunk in chunks:
            if chunk.vanished_ids and chunk.buried_at is None:
                counts, errors = _bury_chunk(rt, runs, store, run, chunk)
                totals.add(counts)
                by_code.update(errors.get("counts", {}))
                items.extend({"chunk": chunk.seq, **e} for e in errors.get("items", ()))
        status = run_outcome(chunks, totals.failed)
        failed_chunks = sum(c.status == ChunkStatus.FAILED for c in chunks)
        error = f"{failed_chunks} chunk(s) failed" if failed_chunks else None
    if collects(run, store.feed):  # a legacy resync: send what its chunks collected (even when refused)
        try:
            renew = partial(runs.heartbeat, run.run_id, run.feed, rt.policy.run_lease)
            submitted = submit(rt, store, f"{run.run_id}-submit", after_batch=renew)
        except TargetKeyRefused as exc:
            status, error = RunStatus.FAILED, str(exc)
        else:
            totals.add(submitted.counts)
            by_code.update(str(e["code"]) for e in submitted.errors)
            items.extend({"submit": True, **e} for e in submitted.errors)
            if status == RunStatus.SUCCEEDED and submitted.failed:
                status = RunStatus.PARTIAL
    with rt.feed_engine.begin() as conn:
        if runs.close_run(
            conn, run.run_id, status, totals, failure_report(chunks, by_code, items), error, finalizer=finalizer
        ):
            lock.release(conn, run.feed, run.run_id)
    return runs.run(run.run_id)


def _bury_chunk(
    rt: Runtime, runs: RunStore, store: FeedStore[FeedSpec], run: Run, chunk: Chunk
) -> tuple[Counts, dict[str, Any]]:
    """Send the tombstones a chunk deferred: rows read as they are now, buried, sent, recorded."""
    spec = store.feed
    now = clock.now().replace(microsecond=0)
    changes = ChangeSet()
    with rt.feed_engine.begin() as conn:
        rows = store.rows(conn, chunk.vanished_ids)
        # A row another chunk of this run rebuilt under a new source id (its item moved) is not gone.
        changes.vanished = [
            row
            for row, _ in rows.values()
            if not (row.is_deleted and row.status == Status.ACCEPTED) and chunk.lo <= row.source_entity_id <= chunk.hi
        ]
        bury(spec, changes, {fid: payload for fid, (_, payload) in rows.items()}, now, chunk.lo)
        store.write(conn, changes.rows)
    # A legacy resync only writes its tombstone rows: the submit step sends them.
    to_send = [] if collects(run, spec) else changes.to_send
    results = deliver(rt, spec, to_send, f"{run.run_id}-{chunk.seq:06d}-tombstones")
    counts, errors = summarize(changes, results)
    with rt.feed_engine.begin() as conn:
        store.record(results, conn)
        runs.mark_buried(conn, run.run_id, chunk.seq)
    runs.heartbeat(run.run_id, run.feed, rt.policy.run_lease)
    return counts, errors
