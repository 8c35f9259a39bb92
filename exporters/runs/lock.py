"""One resync per feed: a row in ``saas_feed_lock`` whose primary key is the feed name.

The lock row is inserted in the same transaction as the run row, so two planners racing on two
hosts cannot both win and a refused run leaves nothing behind. A lock is taken over only when
its holder is provably gone: its run is finished, or the run was still driven by its planning
process (planning, or executing in-process) and that process no longer exists on this host.
"""

from __future__ import annotations

import os
import socket
from typing import NoReturn

from sqlalchemy import Connection, Engine, delete, select

from exporters.clock import DATETIME_FORMAT
from exporters.model import RunStatus
from exporters.runs.exceptions import FeedLocked
from exporters.runs.tables import locks, runs


def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_if_stale(engine: Engine, feed: str) -> bool:
    """Delete the feed's lock when its holder is gone; True when the feed is now free."""
    with engine.begin() as conn:
        holder = conn.execute(select(locks).where(locks.c.feed == feed)).first()
        if holder is None:
            return True
        status = conn.execute(select(runs.c.status).where(runs.c.run_id == holder.run_id)).scalar()
        gone = (
            status is None
            or RunStatus(status).final
            or (RunStatus(status).driven_by_planner and holder.host == this_host() and not pid_alive(holder.pid))
        )
        if gone:
            conn.execute(delete(locks).where(locks.c.feed == feed, locks.c.run_id == holder.run_id))
        return gone


def raise_locked(engine: Engine, feed: str) -> NoReturn:
    """Raise ``FeedLocked`` naming the current holder of ``feed``."""
    with engine.connect() as conn:
        holder = conn.execute(select(locks).where(locks.c.feed == feed)).first()
    if holder is None:
        raise FeedLocked(feed, "(released meanwhile)", "?", 0, "now")
    raise FeedLocked(feed, holder.run_id, holder.host, holder.pid, f"{holder.acquired_at:{DATETIME_FORMAT}} UTC")


def release(conn: Connection, feed: str, run_id: str) -> None:
    """Release ``feed`` if ``run_id`` still holds it (idempotent)."""
    conn.execute(delete(locks).where(locks.c.feed == feed, locks.c.run_id == run_id))


def holder(engine: Engine, feed: str) -> str | None:
    with engine.connect() as conn:
        value = conn.execute(select(locks.c.run_id).where(locks.c.feed == feed)).scalar()
        return None if value is None else str(value)
