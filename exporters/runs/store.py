"""Reading and writing run and chunk rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from more_itertools import chunked
from sqlalchemy import Connection, Engine, func, insert, select, update

from exporters.clock import now
from exporters.model import ChunkStatus, Counts, RunStatus
from exporters.runs.exceptions import RunNotFound
from exporters.runs.tables import chunks, locks, runs

_INSERT_BATCH = 1000


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
    item_errors: list[dict[str, Any]] = field(default_factory=list)
    worker: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def final(self) -> bool:
        return self.status.final

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
            item_errors=orjson.loads(row.item_errors) if row.item_errors else [],
            worker=row.worker,
            started_at=row.started_at,
            finished_at=row.finished_at,
        )


class RunStore:
    """Run and chunk rows in the feed database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_run(
        self,
        feed: str,
        options: dict[str, Any],
        batch_size: int,
        thread_count: int,
        host: str,
        pid: int,
        status: RunStatus = RunStatus.PLANNING,
    ) -> str:
        """Insert the run row and the feed's lock row in one transaction.

        Raises ``IntegrityError`` when another run holds the feed (nothing is written then).
        """
        run_id = uuid.uuid4().hex
        created = now()
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
                )
            )
            conn.execute(insert(locks).values(feed=feed, run_id=run_id, host=host, pid=pid, acquired_at=created))
        return run_id

    def add_chunks(self, run_id: str, ranges: Iterable[tuple[int, int]]) -> int:
        """Write one pending chunk row per range, in bulk; returns how many."""
        rows = (
            {"run_id": run_id, "seq": seq, "lo": lo, "hi": hi, "status": ChunkStatus.PENDING}
            for seq, (lo, hi) in enumerate(ranges)
        )
        total = 0
        with self.engine.begin() as conn:
            for batch in chunked(rows, _INSERT_BATCH):
                conn.execute(insert(chunks), batch)
                total += len(batch)
            conn.execute(update(runs).where(runs.c.run_id == run_id).values(chunks_total=total))
        return total

    def set_status(self, run_id: str, status: RunStatus, error: str | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.run_id == run_id).values(status=status, error=error))

    def run(self, run_id: str) -> Run:
        with self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.run_id == run_id)).first()
        if row is None:
            raise RunNotFound(run_id)
        return Run.of(row)

    def chunks(self, run_id: str) -> list[Chunk]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(chunks).where(chunks.c.run_id == run_id).order_by(chunks.c.seq)).all()
        return [Chunk.of(row) for row in rows]

    def chunk(self, run_id: str, seq: int) -> Chunk:
        with self.engine.connect() as conn:
            row = conn.execute(select(chunks).where(chunks.c.run_id == run_id, chunks.c.seq == seq)).one()
        return Chunk.of(row)

    def start_chunk(self, run_id: str, seq: int, worker: str) -> Chunk | None:
        """Mark a chunk running (one more attempt); None when it already finished."""
        with self.engine.begin() as conn:
            updated = conn.execute(
                update(chunks)
                .where(
                    chunks.c.run_id == run_id,
                    chunks.c.seq == seq,
                    chunks.c.status.in_((ChunkStatus.PENDING, ChunkStatus.RUNNING)),
                )
                .values(status=ChunkStatus.RUNNING, attempts=chunks.c.attempts + 1, worker=worker, started_at=now())
            ).rowcount
            if not updated:
                return None
            return Chunk.of(conn.execute(select(chunks).where(chunks.c.run_id == run_id, chunks.c.seq == seq)).one())

    def finish_chunk(
        self,
        conn: Connection,
        run_id: str,
        seq: int,
        status: ChunkStatus,
        counts: Counts,
        item_errors: list[dict[str, Any]],
        error: str | None = None,
    ) -> None:
        """Write the chunk's outcome, in the caller's transaction (with the feed statuses)."""
        conn.execute(
            update(chunks)
            .where(chunks.c.run_id == run_id, chunks.c.seq == seq)
            .values(
                status=status,
                error=error,
                finished_at=now(),
                item_errors=orjson.dumps(item_errors).decode() if item_errors else None,
                **counts.as_dict(),
            )
        )

    def progress(self, run_id: str) -> tuple[int, Counts]:
        """Chunks finished so far and their summed counts."""
        columns = [func.coalesce(func.sum(chunks.c[name]), 0) for name in Counts.names()]
        with self.engine.connect() as conn:
            row = conn.execute(
                select(func.count(), *columns).where(
                    chunks.c.run_id == run_id, chunks.c.status.in_((ChunkStatus.DONE, ChunkStatus.FAILED))
                )
            ).one()
        return int(row[0]), Counts(*(int(v) for v in row[1:]))

    def close_run(
        self,
        conn: Connection,
        run_id: str,
        status: RunStatus,
        counts: Counts,
        report: dict[str, Any],
        error: str | None,
    ) -> None:
        conn.execute(
            update(runs)
            .where(runs.c.run_id == run_id)
            .values(
                status=status,
                finished_at=now(),
                report=orjson.dumps(report).decode(),
                error=error,
                **counts.as_dict(),
            )
        )

    def recent(self, feed: str | None = None, limit: int = 10) -> list[Run]:
        query = select(runs).order_by(runs.c.created_at.desc()).limit(limit)
        if feed is not None:
            query = query.where(runs.c.feed == feed)
        with self.engine.connect() as conn:
            return [Run.of(row) for row in conn.execute(query)]
