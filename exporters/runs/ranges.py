"""Keyset planning: cut a feed's ids into ranges of ``batch_size`` ids.

Ranges are counted in ids, not in id values, so sparse ids still make even chunks; ids are read
in pages, so planning a million products never holds every id. The ids planned are the source
entity ids *and* the source ids of the feed table's rows: an entity that vanished from the
source still falls inside a chunk of bounded size, which finds its rows and defers their
tombstones. The ranges tile the whole id line (the first starts at 0, the last ends at
``MAX_ID``), so no feed row is ever outside every chunk.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator

from sqlalchemy import Column, ColumnElement, Connection, select

MAX_ID = 2**63 - 1
#: Ids read per query while planning.
PAGE = 10_000


def read_ids(
    conn: Connection, column: Column[int], page: int = PAGE, where: tuple[ColumnElement[bool], ...] = ()
) -> Iterator[int]:
    """Every distinct value of ``column`` (in rows matching ``where``), ascending, read page by
    page (keyset, no OFFSET)."""
    last: int | None = None
    while True:
        query = select(column).where(*where).distinct().order_by(column).limit(page)
        if last is not None:
            query = query.where(column > last)
        ids = [int(value) for value in conn.execute(query).scalars()]
        if not ids:
            return
        yield from ids
        last = ids[-1]


def _distinct(ids: Iterable[int]) -> Iterator[int]:
    previous = None
    for value in ids:
        if value != previous:
            yield value
            previous = value


def cut(ids: Iterable[int], batch_size: int) -> Iterator[tuple[int, int]]:
    """``(lo, hi)`` inclusive ranges of ``batch_size`` ids each (the last fewer) over sorted ids."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    lo, count, boundary = 0, 0, 0
    for value in _distinct(ids):
        if count == batch_size:  # ``value`` opens the next range
            yield lo, boundary
            lo, count = boundary + 1, 0
        count += 1
        boundary = value
    if count:
        yield lo, MAX_ID


def plan_ranges(
    conn: Connection, ids: Column[int], batch_size: int, *, also: Iterable[int] = ()
) -> Iterator[tuple[int, int]]:
    """Ranges over the ids of ``ids`` merged with ``also`` (more ascending ids, e.g. the feed table's)."""
    return cut(heapq.merge(read_ids(conn, ids), also), batch_size)
