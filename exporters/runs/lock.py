"""One resync per feed: a row in ``saas_feed_lock`` whose primary key is the feed name.

The lock row is inserted in the same transaction as the run row, so two planners racing on two
hosts cannot both win and a refused run leaves nothing behind. A lock is leased: whatever moves
its run on (the planner, a chunk's claim and its renewals, the finalizer) renews the lease. It
is taken over only when its run is final, or its lease ran out (nothing renewed it for
``SAAS_EXPORT_RUN_LEASE`` seconds); then that run is closed as failed. No pid is ever probed:
containers share host names and pids are reused.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import Connection, Engine, delete, select, update

from exporters.clock import DATETIME_FORMAT, now
from exporters.model import RunStatus
from exporters.runs.exceptions import FeedLocked
from exporters.runs.tables import locks, runs


def clear_if_stale(engine: Engine, feed: str) -> bool:
    """Delete the feed's lock when its run is final or its lease ran out; True when the feed is free.

    A run whose lease ran out is closed as failed, so its chunks (if a worker ever gets to
    them) do nothing.
    """
    at = now()
    with engine.begin() as conn:
        holder = conn.execute(select(locks).where(locks.c.feed == feed)).first()
        if holder is None:
            return True
        status = conn.execute(select(runs.c.status).where(runs.c.run_id == holder.run_id)).scalar()
        expired = holder.lease_until is None or holder.lease_until < at
        if status is not None and not RunStatus(status).final:
            if not expired:
                return False
            conn.execute(
                update(runs)
                .where(runs.c.run_id == holder.run_id)
                .values(
                    status=RunStatus.FAILED,
                    finished_at=at,
                    error=f"its lease ran out at {holder.lease_until:{DATETIME_FORMAT}} UTC (no planner, worker or "
                    "finalizer renewed it); the feed was taken over by the next resync",
                )
            )
        conn.execute(delete(locks).where(locks.c.feed == feed, locks.c.run_id == holder.run_id))
        return True


def raise_locked(engine: Engine, feed: str) -> NoReturn:
    """Raise ``FeedLocked`` naming the current holder of ``feed``."""
    with engine.connect() as conn:
        holder = conn.execute(select(locks).where(locks.c.feed == feed)).first()
    if holder is None:
        raise FeedLocked(feed, "(released meanwhile)", "?", 0, "now", None)
    raise FeedLocked(
        feed,
        holder.run_id,
        holder.host,
        holder.pid,
        f"{holder.acquired_at:{DATETIME_FORMAT}} UTC",
        None if holder.lease_until is None else f"{holder.lease_until:{DATETIME_FORMAT}} UTC",
    )


def release(conn: Connection, feed: str, run_id: str) -> None:
    """Release ``feed`` if ``run_id`` still holds it (idempotent)."""
    conn.execute(delete(locks).where(locks.c.feed == feed, locks.c.run_id == run_id))


def holder(engine: Engine, feed: str) -> str | None:
    with engine.connect() as conn:
        value = conn.execute(select(locks.c.run_id).where(locks.c.feed == feed)).scalar()
        return None if value is None else str(value)
