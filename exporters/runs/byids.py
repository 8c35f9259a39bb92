"""``--by-ids``: a resync of only some products, named by sku or by product id (docs/resync-options.md).

The list is parsed before anything runs (``parse_ids``), resolved against the source's
``catalog_product_entity`` at planning time (bound parameters, ``IN`` lists of ``IN_BATCH``),
and the resolved ids are stored in ``saas_run_entity`` rows (migration 0017; the run's options
only say ``{"by_ids": {"type": ..., "requested": n}}``). Chunks are tight ranges over the
resolved ids only; a chunk builds its range but keeps only the requested entities' items and
rows, and sends them whatever their hash: no other entity of the range is compared, written,
sent or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from more_itertools import chunked
from sqlalchemy import Connection, Engine, and_, insert, select

from exporters.feeds import FeedSpec
from exporters.runs.tables import run_entities

#: The id types ``--id-type`` accepts.
ID_TYPES = ("sku", "productId")
#: Ids per bound ``IN`` list (and per insert batch).
IN_BATCH = 1000
#: How many unknown ids the "not found" line shows.
SHOWN = 10


class BadIdList(ValueError):
    """A ``--by-ids`` value that cannot be read; the message is the one-sentence refusal."""


def product_keyed(spec: FeedSpec) -> bool:
    """Whether the feed's source ids are product entity ids (products, prices, variants, ...)."""
    return spec.source_ids.table.name == "catalog_product_entity" and spec.source_ids.name == "entity_id"


def read_value(value: str) -> str:
    """The list itself: ``@path`` reads the file (one id per line or comma-separated)."""
    if not value.startswith("@"):
        return value
    path = value[1:]
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise BadIdList(
            f"--by-ids cannot read {path}: {reason}; give a readable file of ids, one per line or comma-separated"
        ) from exc


def parse_ids(value: str, id_type: str) -> list[str]:
    """The ids of a ``--by-ids`` value, in order, without duplicates; blank lines are ignored,
    an empty entry between commas is refused, as is a productId that is not a positive integer."""
    text = read_value(value)
    ids: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        for entry in line.split(","):
            entry = entry.strip()
            if not entry:
                where = f" (line {number})" if value.startswith("@") else ""
                raise BadIdList(
                    f"--by-ids has an empty entry{where}: separate ids by single commas or by lines, "
                    "e.g. --by-ids SKU-1,SKU-2"
                )
            if id_type == "productId" and not (entry.isascii() and entry.isdigit() and int(entry) > 0):
                raise BadIdList(
                    f"--by-ids with --id-type productId takes positive integers, not {entry!r}: give product "
                    "ids, or use --id-type sku for skus"
                )
            key = str(int(entry)) if id_type == "productId" else entry
            if key not in seen:
                seen.add(key)
                ids.append(key)
    if not ids:
        raise BadIdList("--by-ids names no id: give at least one, e.g. --by-ids SKU-1,SKU-2 or --by-ids @skus.txt")
    return ids


@dataclass(frozen=True)
class Resolved:
    """The source ids found (ascending) and the requested ids that match no product (in order)."""

    ids: list[int]
    unknown: list[str]


def resolve(conn: Connection, spec: FeedSpec, ids: Sequence[str], id_type: str) -> Resolved:
    """Look the ids up in the source, ``IN_BATCH`` bound parameters at a time."""
    column = spec.source_ids
    table = column.table
    found: dict[str, int] = {}
    if id_type == "sku":
        sku = table.c.sku
        for batch in chunked(ids, IN_BATCH):
            for entity_id, value in conn.execute(select(column, sku).where(sku.in_(batch))):
                found[str(value).casefold()] = int(entity_id)  # MariaDB compares skus without case
        matched = [(i, found.get(i.casefold())) for i in ids]
    else:
        for batch in chunked(ids, IN_BATCH):
            found.update(
                (str(v), int(v))
                for v in conn.execute(select(column).where(column.in_([int(i) for i in batch]))).scalars()
            )
        matched = [(i, found.get(i)) for i in ids]
    return Resolved(
        sorted({entity for _, entity in matched if entity is not None}),
        [i for i, entity in matched if entity is None],
    )


def not_found_line(unknown: Sequence[str], id_type: str) -> str:
    """One line: how many ids match no product, and the first ``SHOWN``."""
    shown = ", ".join(unknown[:SHOWN])
    more = f", … ({len(unknown) - SHOWN} more)" if len(unknown) > SHOWN else ""
    return f"not found: {len(unknown)} {id_type}(s) match no product: {shown}{more}"


def store_ids(engine: Engine, run_id: str, ids: Iterable[int]) -> None:
    with engine.begin() as conn:
        for batch in chunked(ids, IN_BATCH):
            conn.execute(insert(run_entities), [{"run_id": run_id, "source_entity_id": i} for i in batch])


def chunk_ids(engine: Engine, run_id: str, lo: int, hi: int) -> set[int]:
    """The requested source ids inside a chunk's range."""
    t = run_entities
    query = select(t.c.source_entity_id).where(and_(t.c.run_id == run_id, t.c.source_entity_id.between(lo, hi)))
    with engine.connect() as conn:
        return {int(v) for v in conn.execute(query).scalars()}
