"""Reading and writing run, chunk and claim rows: the truth about a resync.

Every change a worker makes to a chunk row is conditional: a chunk is claimed only while it is
pending (or its last claim's lease ran out) and its run is dispatched; its result is written
only while the writer's claim token is current; a lane is handed on, and a run's finalize sent,
by whoever wins one conditional update. So a redelivered or duplicated task can never run a
chunk twice at once nor continue a lane twice (docs/reliability.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

import orjson
from more_itertools import chunked
from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update

from exporters.clock import now
from exporters.model import ChunkStatus, Counts, RunStatus
from exporters.runs.exceptions import RunNotFound
from exporters.runs.tables import chunks, claims, locks, runs

_INSERT_BATCH = 1000
_DISPATCHED = (RunStatus.EMBEDDED, RunStatus.RUNNING)
_FINAL_CHUNK = (ChunkStatus.DONE, ChunkStatus.FAILED)


def _json(value: Any) -> str | None:
    return orjson.dumps(value).decode() if value else None


@dataclass
class Run:
    run_id: str
    feed: str
    status: RunStatus
    options: dict[str, Any]
    batch_size: int
    thread_count: int
    host: str
    pid: int
    created_at: datetime
    finished_at: datetime | None
    chunks_total: int
    counts: Counts
    report: dict[str, Any] | None
    error: str | None
    lease_until: datetime | None = None
    dispatched_at: datetime | None = None
    accepted_before: int | None = None
    data_space: str | None = None

    @property
    def lanes(self) -> int:
        """How many chunks of this run may execute at once (``--thread-count``, at most one per chunk)."""
        return max(1, min(self.thread_count, self.chunks_total))

    @classmethod
    def of(cls, row: Any) -> Run:
        return cls(
            run_id=row.run_id,
            feed=row.feed,
            status=RunStatus(row.status),
            options=orjson.loads(row.options),
            batch_size=row.batch_size,
            thread_count=row.thread_count,
            host=row.host,
            pid=row.pid,
            created_at=row.created_at,
            finished_at=row.finished_at,
            chunks_total=row.chunks_total,
            counts=Counts.of(row),
            report=orjson.loads(row.report) if row.report else None,
            error=row.error,
            lease_until=row.lease_until,
            dispatched_at=row.dispatched_at,
            accepted_before=row.accepted_before,
            data_space=row.data_space,
        )


@dataclass
class Chunk:
    run_id: str
    seq: int
    lo: int
    hi: int
    status: ChunkStatus
    attempts: int
    counts: Counts
    error: str | None
    #: The first failed items and the failures counted by code: ``{"counts": {}, "items": []}``.
    item_errors: dict[str, Any] = field(default_factory=dict)
    worker: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    token: str | None = None
    lease_until: datetime | None = None
    dispatched_at: datetime | None = None
    handed_on_at: datetime | None = None
    #: Feed rows whose item vanished (tombstones deferred to finalize), and how many are new deletions.
    vanished_ids: list[str] = field(default_factory=list)
    deletions: int = 0
    buried_at: datetime | None = None

    @property
    def final(self) -> bool:
        return self.status.final

    def live(self, at: datetime) -> bool:
        """Claimed, and its lease not yet run out: someone is working on it."""
        return self.status == ChunkStatus.RUNNING and self.lease_until is not None and self.lease_until >= at

    @classmethod
    def of(cls, row: Any) -> Chunk:
        return cls(
            run_id=row.run_id,
            seq=row.seq,
            lo=int(row.lo),
            hi=int(row.hi),
            status=ChunkStatus(row.status),
            attempts=row.attempts,
            counts=Counts.of(row),
            error=row.error,
            item_errors=orjson.loads(row.item_errors) if row.item_errors else {},
            worker=row.worker,
            started_at=row.started_at,
            finished_at=row.finished_at,
            token=row.token,
            lease_until=row.lease_until,
            dispatched_at=row.dispatched_at,
            handed_on_at=row.handed_on_at,
            vanished_ids=orjson.loads(row.vanished_ids) if row.vanished_ids else [],
            deletions=int(row.vanished or 0),
            buried_at=row.buried_at,
        )


@dataclass(frozen=True)
class ClaimRecord:
    """One claim of a chunk, from ``saas_chunk_claim``."""

    token: str
    seq: int
    attempt: int
    worker: str
    claimed_at: datetime
    ended_at: datetime | None
    outcome: str | None


class Claimed(Enum):
    """What a chunk task found when it tried to claim its chunk."""

    #: The chunk is ours to run, under ``token``.
    CLAIMED = "claimed"
    #: It already finished (done or failed): nothing to run again.
    FINAL = "final"
    #: Someone else holds a live claim: come back when it may have run out.
    BUSY = "busy"
    #: Its run is not dispatched any more (cancelled, finalized, taken over): do nothing.
    STOPPED = "stopped"


@dataclass(frozen=True)
class Claim:
    result: Claimed
    chunk: Chunk | None = None
    token: str | None = None
    #: For ``BUSY``: seconds until the other claim's lease runs out.
    retry_in: float = 0.0


class RunStore:
    """Run, chunk, claim and lock rows in the feed database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- runs -----------------------------------------------------------------------------

    def create_run(
        self,
        feed: str,
        options: dict[str, Any],
        batch_size: int,
        thread_count: int,
        host: str,
        pid: int,
        *,
        lease: float,
        data_space: str = "default",
        status: RunStatus = RunStatus.PLANNING,
    ) -> str:
        """Insert the run row and the feed's lock row in one transaction, both leased.

        Raises ``IntegrityError`` when another run holds the feed (nothing is written then).
        """
        run_id = uuid.uuid4().hex
        created = now()
        until = created + timedelta(seconds=lease)
        with self.engine.begin() as conn:
            conn.execute(
                insert(runs).values(
                    run_id=run_id,
                    feed=feed,
                    status=status,
                    options=orjson.dumps(options).decode(),
                    batch_size=batch_size,
                    thread_count=thread_count,
                    host=host,
                    pid=pid,
                    created_at=created,
                    lease_until=until,
                    data_space=data_space,
                )
            )
            conn.execute(
                insert(locks).values(
                    feed=feed, run_id=run_id, host=host, pid=pid, acquired_at=created, lease_until=until
                )
            )
        return run_id

    def set_accepted_before(self, run_id: str, accepted: int) -> None:
        """The feed's accepted items when the run was planned (what the mass-delete guard measures)."""
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.run_id == run_id).values(accepted_before=accepted))

    def add_chunks(self, run_id: str, ranges: Iterable[tuple[int, int]]) -> int:
        """Write one pending chunk row per range, in bulk and in one transaction; returns how many."""
        rows = (
            {"run_id": run_id, "seq": seq, "lo": lo, "hi": hi, "status": ChunkStatus.PENDING}
            for seq, (lo, hi) in enumerate(ranges)
        )
        total = 0
        with self.engine.begin() as conn:
            conn.execute(delete(chunks).where(chunks.c.run_id == run_id))  # a re-plan starts afresh
            for batch in chunked(rows, _INSERT_BATCH):
                conn.execute(insert(chunks), batch)
                total += len(batch)
            conn.execute(update(runs).where(runs.c.run_id == run_id).values(chunks_total=total))
        return total

    def set_status(
        self, run_id: str, status: RunStatus, error: str | None = None, *, only_from: Sequence[RunStatus] = ()
    ) -> bool:
        """Move a run to ``status`` (only from one of ``only_from`` when given); whether it moved."""
        query = update(runs).where(runs.c.run_id == run_id)
        if only_from:
            query = query.where(runs.c.status.in_(only_from))
        values: dict[str, Any] = {"status": status, "error": error}
        if status in _DISPATCHED:
            values["dispatched_at"] = now()
        with self.engine.begin() as conn:
            return bool(conn.execute(query.values(**values)).rowcount)

    def heartbeat(self, run_id: str, feed: str, lease: float, conn: Connection | None = None) -> None:
        """Renew the run's lease and its feed lock's: the run is alive."""
        until = now() + timedelta(seconds=lease)
        if conn is None:
            with self.engine.begin() as own:
                self._heartbeat(own, run_id, feed, until)
        else:
            self._heartbeat(conn, run_id, feed, until)

    def _keep_alive(self, conn: Connection, run_id: str, at: datetime, lease: float) -> None:
        """Renew the run's lease once less than half of it is left.

        Every chunk claim calls this: renewing each time would make all lanes queue on the run
        row's lock, when once per half lease is enough to keep the run alive.
        """
        row = conn.execute(select(runs.c.feed, runs.c.lease_until).where(runs.c.run_id == run_id)).one()
        if row.lease_until is None or row.lease_until < at + timedelta(seconds=lease / 2):
            self._heartbeat(conn, run_id, row.feed, at + timedelta(seconds=lease))

    @staticmethod
    def _heartbeat(conn: Connection, run_id: str, feed: str, until: datetime) -> None:
        conn.execute(update(runs).where(runs.c.run_id == run_id).values(lease_until=until))
        conn.execute(update(locks).where(locks.c.feed == feed, locks.c.run_id == run_id).values(lease_until=until))

    def run(self, run_id: str) -> Run:
        with self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.run_id == run_id)).first()
        if row is None:
            raise RunNotFound(run_id)
        return Run.of(row)

    def recent(self, feed: str | None = None, limit: int = 10) -> list[Run]:
        query = select(runs).order_by(runs.c.created_at.desc()).limit(limit)
        if feed is not None:
            query = query.where(runs.c.feed == feed)
        with self.engine.connect() as conn:
            return [Run.of(row) for row in conn.execute(query)]

    def unfinished(self, statuses: Sequence[RunStatus]) -> list[Run]:
        """Runs in one of ``statuses`` (what the sweeper looks at)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(runs).where(runs.c.status.in_(statuses)).order_by(runs.c.created_at))
            return [Run.of(row) for row in rows]

    # -- chunks ---------------------------------------------------------------------------

    def chunks(self, run_id: str) -> list[Chunk]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(chunks).where(chunks.c.run_id == run_id).order_by(chunks.c.seq)).all()
        return [Chunk.of(row) for row in rows]

    def chunk(self, run_id: str, seq: int) -> Chunk:
        with self.engine.connect() as conn:
            row = conn.execute(select(chunks).where(chunks.c.run_id == run_id, chunks.c.seq == seq)).one()
        return Chunk.of(row)

    def claim(self, run_id: str, seq: int, worker: str, *, lease: float, run_lease: float, max_attempts: int) -> Claim:
        """Claim a chunk to run it: pending, or running under a claim whose lease ran out.

        A chunk that used up ``max_attempts`` claims without recording a result (its workers
        were lost or killed by the hard time limit) is recorded failed instead.
        """
        at = now()
        token = uuid.uuid4().hex
        this = and_(chunks.c.run_id == run_id, chunks.c.seq == seq)
        claimable = or_(
            chunks.c.status == ChunkStatus.PENDING,
            and_(
                chunks.c.status == ChunkStatus.RUNNING, or_(chunks.c.lease_until.is_(None), chunks.c.lease_until < at)
            ),
        )
        dispatched = select(runs.c.run_id).where(runs.c.run_id == run_id, runs.c.status.in_(_DISPATCHED)).exists()
        with self.engine.begin() as conn:
            won = conn.execute(
                update(chunks)
                .where(this, claimable, dispatched, chunks.c.attempts < max_attempts)
                .values(
                    status=ChunkStatus.RUNNING,
                    attempts=chunks.c.attempts + 1,
                    token=token,
                    lease_until=at + timedelta(seconds=lease),
                    worker=worker,
                    started_at=at,
                )
            ).rowcount
            if won:
                chunk = Chunk.of(conn.execute(select(chunks).where(this)).one())
                conn.execute(
                    insert(claims).values(
                        token=token, run_id=run_id, seq=seq, attempt=chunk.attempts, worker=worker, claimed_at=at
                    )
                )
                self._keep_alive(conn, run_id, at, run_lease)
                return Claim(Claimed.CLAIMED, chunk, token)
            return self._unclaimable(conn, run_id, seq, at, claimable)

    @staticmethod
    def _unclaimable(conn: Connection, run_id: str, seq: int, at: datetime, claimable: Any) -> Claim:
        """Why a chunk could not be claimed; one out of attempts is recorded failed here."""
        this = and_(chunks.c.run_id == run_id, chunks.c.seq == seq)
        row = conn.execute(select(chunks).where(this)).first()
        status = conn.execute(select(runs.c.status).where(runs.c.run_id == run_id)).scalar()
        if row is None or status is None:
            return Claim(Claimed.STOPPED)
        chunk = Chunk.of(row)
        if chunk.final:
            return Claim(Claimed.FINAL, chunk)
        if not RunStatus(status).dispatched:
            return Claim(Claimed.STOPPED, chunk)
        if chunk.live(at):
            assert chunk.lease_until is not None
            return Claim(Claimed.BUSY, chunk, retry_in=(chunk.lease_until - at).total_seconds())
        conn.execute(
            update(chunks)
            .where(this, claimable)
            .values(
                status=ChunkStatus.FAILED,
                finished_at=at,
                lease_until=None,
                error=f"gave up after {chunk.attempts} attempt(s) that never recorded a result "
                "(worker lost, or killed at the hard time limit)",
            )
        )
        return Claim(Claimed.FINAL, Chunk.of(conn.execute(select(chunks).where(this)).one()))

    def renew(self, run_id: str, seq: int, token: str, *, lease: float, run_lease: float) -> bool:
        """Extend a claim's lease (and the run's); False when the claim is no longer current or the
        run was stopped: the holder must stop before sending anything more."""
        at = now()
        dispatched = select(runs.c.run_id).where(runs.c.run_id == run_id, runs.c.status.in_(_DISPATCHED)).exists()
        with self.engine.begin() as conn:
            ours = conn.execute(
                update(chunks)
                .where(chunks.c.run_id == run_id, chunks.c.seq == seq, chunks.c.token == token, dispatched)
                .where(chunks.c.status == ChunkStatus.RUNNING)
                .values(lease_until=at + timedelta(seconds=lease))
            ).rowcount
            if ours:
                self._keep_alive(conn, run_id, at, run_lease)
        return bool(ours)

    def release(self, run_id: str, seq: int, token: str, outcome: str) -> None:
        """Give a claim back (the chunk is pending again): its task retries later."""
        with self.engine.begin() as conn:
            conn.execute(
                update(chunks)
                .where(chunks.c.run_id == run_id, chunks.c.seq == seq, chunks.c.token == token)
                .where(chunks.c.status == ChunkStatus.RUNNING)
                .values(status=ChunkStatus.PENDING, lease_until=None)
            )
            self._end_claim(conn, token, outcome)

    def finish_chunk(
        self,
        conn: Connection,
        run_id: str,
        seq: int,
        status: ChunkStatus,
        counts: Counts,
        item_errors: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        error: str | None = None,
        vanished_ids: Sequence[str] = (),
        deletions: int = 0,
    ) -> bool:
        """Write the chunk's outcome in the caller's transaction (with its feed statuses).

        With ``token``, only while that claim is current; without, only while the chunk is not
        final (recording a chunk by hand). False when nothing was written.
        """
        mine = chunks.c.token == token if token is not None else chunks.c.status.notin_(_FINAL_CHUNK)
        written = conn.execute(
            update(chunks)
            .where(chunks.c.run_id == run_id, chunks.c.seq == seq, mine, chunks.c.status.notin_(_FINAL_CHUNK))
            .values(
                status=status,
                error=error,
                finished_at=now(),
                lease_until=None,
                item_errors=_json(item_errors),
                vanished_ids=_json(list(vanished_ids)),
                vanished=deletions,
                **counts.as_dict(),
            )
        ).rowcount
        if written and token is not None:
            self._end_claim(conn, token, str(status))
        return bool(written)

    @staticmethod
    def _end_claim(conn: Connection, token: str, outcome: str) -> None:
        conn.execute(update(claims).where(claims.c.token == token).values(ended_at=now(), outcome=outcome))

    def hand_on(self, run_id: str, seq: int) -> tuple[int | None, bool] | None:
        """Carry the lane on after chunk ``seq``: None when another caller already did (exactly
        once per chunk); else the lane's next chunk (marked dispatched) and whether the run's
        finalize is to be sent (marked sent), decided in one transaction."""
        at = now()
        with self.engine.begin() as conn:
            won = conn.execute(
                update(chunks)
                .where(chunks.c.run_id == run_id, chunks.c.seq == seq, chunks.c.handed_on_at.is_(None))
                .where(chunks.c.status.in_(_FINAL_CHUNK))
                .values(handed_on_at=at)
            ).rowcount
            if not won:
                return None
            run = conn.execute(
                select(runs.c.status, runs.c.thread_count, runs.c.chunks_total).where(runs.c.run_id == run_id)
            ).one()
            if not RunStatus(run.status).dispatched:
                return None, False
            following = seq + max(1, min(run.thread_count, run.chunks_total))
            if following < run.chunks_total:  # the lane goes on, so this is not the run's last chunk
                conn.execute(
                    update(chunks).where(chunks.c.run_id == run_id, chunks.c.seq == following).values(dispatched_at=at)
                )
                return following, False
            unfinished = conn.execute(
                select(func.count()).where(chunks.c.run_id == run_id, chunks.c.status.notin_(_FINAL_CHUNK))
            ).scalar_one()
            finalize = not unfinished and bool(
                conn.execute(
                    update(runs)
                    .where(runs.c.run_id == run_id, runs.c.finalize_sent_at.is_(None))
                    .values(finalize_sent_at=at)
                ).rowcount
            )
            return None, finalize

    def take_back_hand_on(self, run_id: str, seq: int) -> None:
        """Sending the next step failed: let a redelivery or the sweeper carry the lane on."""
        with self.engine.begin() as conn:
            conn.execute(update(chunks).where(chunks.c.run_id == run_id, chunks.c.seq == seq).values(handed_on_at=None))

    def mark_dispatched(self, run_id: str, seqs: Iterable[int]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(chunks)
                .where(chunks.c.run_id == run_id, chunks.c.seq.in_(list(seqs)))
                .values(dispatched_at=now())
            )

    def unfinished_chunks(self, run_id: str) -> int:
        with self.engine.connect() as conn:
            query = select(func.count()).where(chunks.c.run_id == run_id, chunks.c.status.notin_(_FINAL_CHUNK))
            return int(conn.execute(query).scalar_one())

    def mark_buried(self, conn: Connection, run_id: str, seq: int) -> None:
        conn.execute(update(chunks).where(chunks.c.run_id == run_id, chunks.c.seq == seq).values(buried_at=now()))

    def progress(self, run_id: str) -> tuple[int, Counts]:
        """Chunks finished so far and their summed counts."""
        columns = [func.coalesce(func.sum(chunks.c[name]), 0) for name in Counts.names()]
        with self.engine.connect() as conn:
            row = conn.execute(
                select(func.count(), *columns).where(chunks.c.run_id == run_id, chunks.c.status.in_(_FINAL_CHUNK))
            ).one()
        return int(row[0]), Counts(*(int(v) for v in row[1:]))

    def last_activity(self, run_id: str) -> datetime | None:
        """The latest time a chunk of the run was dispatched, claimed, renewed or finished."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    func.max(chunks.c.dispatched_at),
                    func.max(chunks.c.started_at),
                    func.max(chunks.c.finished_at),
                    func.max(chunks.c.lease_until),
                ).where(chunks.c.run_id == run_id)
            ).one()
        seen = [value for value in row if value is not None]
        return max(seen) if seen else None

    def claims(self, run_id: str) -> list[ClaimRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(claims).where(claims.c.run_id == run_id).order_by(claims.c.claimed_at))
            return [ClaimRecord(r.token, r.seq, r.attempt, r.worker, r.claimed_at, r.ended_at, r.outcome) for r in rows]

    # -- finalize -------------------------------------------------------------------------

    def send_finalize(self, run_id: str) -> bool:
        """Whether this caller is the one to send the run's finalize (exactly once; the sweeper
        finalizes a run whose finalize was lost)."""
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    update(runs)
                    .where(runs.c.run_id == run_id, runs.c.finalize_sent_at.is_(None))
                    .values(finalize_sent_at=now())
                ).rowcount
            )

    def take_back_finalize(self, run_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.run_id == run_id).values(finalize_sent_at=None))

    def begin_finalize(self, run_id: str, *, lease: float, force: bool = False) -> str | None:
        """Claim the finalizing of a run; the finalizer's token, or None when another holds it live
        (or the run is already final). ``force`` also takes a run still planning (repair)."""
        at = now()
        token = uuid.uuid4().hex
        startable = [RunStatus.EMBEDDED, RunStatus.RUNNING, *([RunStatus.PLANNING] if force else [])]
        with self.engine.begin() as conn:
            won = conn.execute(
                update(runs)
                .where(
                    runs.c.run_id == run_id,
                    or_(
                        runs.c.status.in_(startable),
                        and_(
                            runs.c.status == RunStatus.FINALIZING,
                            or_(runs.c.lease_until.is_(None), runs.c.lease_until < at),
                        ),
                    ),
                )
                .values(status=RunStatus.FINALIZING, finalizer=token, lease_until=at + timedelta(seconds=lease))
            ).rowcount
        return token if won else None

    def close_run(
        self,
        conn: Connection,
        run_id: str,
        status: RunStatus,
        counts: Counts,
        report: dict[str, Any],
        error: str | None,
        *,
        finalizer: str | None = None,
        only_from: Sequence[RunStatus] = (),
    ) -> bool:
        """Write the run's outcome (only while ``finalizer`` holds it, or while the run is in one
        of ``only_from``, when given)."""
        query = update(runs).where(runs.c.run_id == run_id)
        if only_from:
            query = query.where(runs.c.status.in_(only_from))
        if finalizer is not None:
            query = query.where(runs.c.finalizer == finalizer, runs.c.status == RunStatus.FINALIZING)
        return bool(
            conn.execute(
                query.values(
                    status=status,
                    finished_at=now(),
                    report=orjson.dumps(report).decode(),
                    error=error,
                    lease_until=None,
                    **counts.as_dict(),
                )
            ).rowcount
        )
