"""Keyset planning: cut a feed's source ids into ranges of ``batch_size`` ids.

Ranges are counted in ids, not in id values, so sparse ids still make even chunks; only one
boundary id is held at a time, so planning a million products never loads every id. The
ranges tile the whole id line (the first starts at 0, the last ends at ``MAX_ID``), so a feed
row whose entity vanished from the source always falls inside some chunk and becomes a
tombstone there.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Column, Connection, select

MAX_ID = 2**63 - 1


def plan_ranges(conn: Connection, ids: Column[int], batch_size: int) -> Iterator[tuple[int, int]]:
    """Yield ``(lo, hi)`` inclusive ranges holding ``batch_size`` source ids each (the last fewer)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    lo, last = 0, None
    while True:
        query = select(ids).order_by(ids).offset(batch_size - 1).limit(1)
        if last is not None:
            query = query.where(ids > last)
        boundary = conn.execute(query).scalar()
        if boundary is None:
            remaining = select(ids).limit(1) if last is None else select(ids).where(ids > last).limit(1)
            if conn.execute(remaining).first() is not None or last is not None:
                yield lo, MAX_ID
            return
        more = conn.execute(select(ids).where(ids > boundary).limit(1)).first() is not None
        if not more:
            yield lo, MAX_ID
            return
        yield lo, int(boundary)
        lo, last = int(boundary) + 1, int(boundary)
