"""Products feed build throughput on the medium catalog in MariaDB, beside the floor.

    .venv/bin/python bench/products_build.py [--profile medium] [--batch-size 500] [--stages N]
                                             [--edition opensource|commerce]

The *floor* reads the same rows with the same range queries and serializes one plain dict per
item (product × store view): no EAV resolution, no validation, no hashing, no feed table. The
*build* is the real thing: ``exporters.runs.collect`` (build, validate, hash, bulk upsert into the
feed table in MariaDB) followed by recording every item as accepted. Both run in this process,
one after the other, on the same catalog; peak RSS is the process's high-water mark.

``--stages N`` times each stage of the build alone over the first N chunks (read + assemble,
validate, hash, feed-table row, bulk upsert), beside the floor of the same chunks, to show where
an item's time goes and what the 60% goal leaves for it. ``--edition commerce`` builds the same
catalog staged by ``row_id`` (its own database), to show what reading through live rows costs;
the floor reads Open Source tables, so it is left out there.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import orjson
from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exporters import collector
from exporters.clock import now as clock_now
from exporters.db import create_db_engine
from exporters.feeds import PRODUCTS, FeedSpec, item_error
from exporters.feedtable import FeedStore, feed_hash, feed_id, feed_row, upgrade
from exporters.model import SendResult, Status
from exporters.runs import collect
from exporters.sample_data import generate
from exporters.source import MagentoSource
from exporters.source import schema as s

SERVER = "mysql+mysqldb://root@127.0.0.1:3306"


def ensure_catalog(profile: str, seed: int, edition: str = "opensource") -> str:
    """The sample catalog in its own database, generated once and reused by later runs."""
    name = f"saas_bench_{profile}" + ("_commerce" if edition == "commerce" else "")
    url = f"{SERVER}/{name}"
    server = create_engine(SERVER)
    with server.begin() as conn:
        conn.execute(text(f"CREATE DATABASE IF NOT EXISTS {name} CHARACTER SET utf8mb4"))
    engine = create_engine(url)
    with engine.connect() as conn:
        has = conn.execute(text("SHOW TABLES LIKE 'catalog_product_entity'")).first() is not None
        count = conn.execute(select(func.count()).select_from(s.catalog_product_entity)).scalar() if has else 0
    if not count:
        started = time.perf_counter()
        generate(url, profile, seed=seed, edition=edition, replace=True)
        print(f"generated {profile} catalog in {time.perf_counter() - started:.1f}s")
    return url


def fresh_feed_db() -> str:
    name = "saas_bench_feed"
    server = create_engine(SERVER)
    with server.begin() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4"))
    return f"{SERVER}/{name}"


def ranges(source: MagentoSource, batch: int) -> list[tuple[int, int]]:
    e = s.catalog_product_entity
    with source.connect() as conn:
        ids = [row[0] for row in conn.execute(select(e.c.entity_id).distinct().order_by(e.c.entity_id))]
    return [(ids[i], ids[min(i + batch, len(ids)) - 1]) for i in range(0, len(ids), batch)]


def floor(source: MagentoSource, chunks: list[tuple[int, int]]) -> int:
    """Read the rows a build reads and serialize one dict per item; nothing else."""
    views_by_website: dict[int, list[int]] = defaultdict(list)
    for view in source.scopes.store_views.values():
        views_by_website[view.website_id].append(view.store_id)
    stores = [0, *source.scopes.store_ids]
    items = 0
    with source.connect() as conn:
        for lo, hi in chunks:
            e, w = s.catalog_product_entity, s.catalog_product_website
            products = conn.execute(select(e).where(e.c.entity_id.between(lo, hi))).all()
            websites = defaultdict(list)
            for pid, wid in conn.execute(select(w.c.product_id, w.c.website_id).where(w.c.product_id.between(lo, hi))):
                websites[pid].append(wid)
            values: dict[int, list[tuple[int, int, object]]] = defaultdict(list)
            for table in s.product_values.values():
                for eid, aid, sid, value in conn.execute(
                    select(table.c.entity_id, table.c.attribute_id, table.c.store_id, table.c.value).where(
                        table.c.entity_id.between(lo, hi), table.c.store_id.in_(stores)
                    )
                ):
                    values[eid].append((aid, sid, value))
            for extra in (
                s.catalog_category_product,
                s.cataloginventory_stock_status,
                s.catalog_product_entity_media_gallery_value,
                s.catalog_product_super_link,
            ):
                key = extra.c.product_id if "product_id" in extra.c else extra.c.entity_id
                conn.execute(select(extra).where(key.between(lo, hi))).all()
            for row in products:
                for wid in websites.get(row.entity_id, ()):
                    for sid in views_by_website.get(wid, ()):
                        orjson.dumps(
                            {
                                "id": row.entity_id,
                                "sku": row.sku,
                                "store": sid,
                                "values": [(a, v) for a, st, v in values[row.entity_id] if st in (0, sid)],
                            },
                            default=str,
                        )
                        items += 1
    return items


def build(source: MagentoSource, store: FeedStore[FeedSpec], chunks: list[tuple[int, int]]) -> int:
    items = 0
    for lo, hi in chunks:
        changes = collect(source, store, lo, hi)
        store.record(SendResult(p.feed_id, int(Status.ACCEPTED)) for p in changes.to_send)
        items += changes.built
    return items


def stages(source: MagentoSource, chunks: list[tuple[int, int]]) -> None:
    """Each stage of ``collect`` alone, in µs per item, against the floor's budget."""
    spec = PRODUCTS
    started = time.perf_counter()
    floor_items = floor(source, chunks)
    per_item: dict[str, float] = {"floor (read + one dict per item)": time.perf_counter() - started}
    started = time.perf_counter()
    results = [spec.build(source, lo, hi, {}) for lo, hi in chunks]
    per_item["read + assemble (builder)"] = time.perf_counter() - started
    items = [item for result in results for item in result.items]
    assert len(items) == floor_items, (len(items), floor_items)
    started = time.perf_counter()
    for item in items:
        item_error(spec, item)
    per_item["validate (JSON Schema)"] = time.perf_counter() - started
    started = time.perf_counter()
    digests = [feed_hash(item, spec.hash_excludes) for item in items]
    per_item["hash (canonical JSON + sha1)"] = time.perf_counter() - started
    engine = create_db_engine(fresh_feed_db())
    upgrade(engine)
    store, now = FeedStore(engine, spec), clock_now()
    started = time.perf_counter()
    rows = [
        feed_row(spec, item, feed_id(item, spec.identity), d, None, now, full=False)
        for item, d in zip(items, digests, strict=True)
    ]
    per_item["feed id + feed-table row"] = time.perf_counter() - started
    started = time.perf_counter()
    per_chunk = max(1, len(rows) // len(chunks))
    for start in range(0, len(rows), per_chunk):
        with engine.begin() as conn:
            store.write(conn, rows[start : start + per_chunk])
    per_item["bulk upsert (MariaDB)"] = time.perf_counter() - started
    floor_us = per_item["floor (read + one dict per item)"] / floor_items * 1e6
    print(f"{len(chunks)} chunks, {floor_items:,} items; µs per item, each stage alone:")
    for name, seconds in per_item.items():
        print(f"  {name:<36} {seconds / floor_items * 1e6:6.1f}")
    spent = sum(seconds for name, seconds in per_item.items() if not name.startswith("floor")) / floor_items * 1e6
    print(f"  {'sum of the build stages':<36} {spent:6.1f}  ({floor_us / spent:.0%} of the floor's rate)")
    print(f"  {'60% goal: whole build at most':<36} {floor_us / 0.6:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--stages", type=int, metavar="N", help="time each build stage alone over N chunks")
    parser.add_argument("--edition", choices=("opensource", "commerce"), default="opensource")
    args = parser.parse_args()

    source_url = ensure_catalog(args.profile, args.seed, args.edition)
    source = MagentoSource(source_url)
    chunks = ranges(source, args.batch_size)
    source.scopes, source.product_attributes, source.product_option_labels  # noqa: B018 - warm the metadata
    collector.settle()  # as a worker process does once it is set up
    if args.stages:
        stages(source, chunks[: args.stages])
        return

    floor_items, floor_seconds = 0, 0.0
    if args.edition == "opensource":
        started = time.perf_counter()
        floor_items = floor(source, chunks)
        floor_seconds = time.perf_counter() - started

    engine = create_db_engine(fresh_feed_db())
    upgrade(engine)
    store = FeedStore(engine, PRODUCTS)
    started = time.perf_counter()
    built = build(source, store, chunks)
    build_seconds = time.perf_counter() - started

    started = time.perf_counter()
    rebuilt = build(source, store, chunks)
    unchanged_seconds = time.perf_counter() - started

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    build_rate = built / build_seconds
    print(f"catalog: {args.profile} ({args.edition}), {len(chunks)} chunks of {args.batch_size} product ids")
    if floor_items:
        print(
            f"floor (read + one dict per item): {floor_items:,} items in {floor_seconds:.1f}s"
            f" = {floor_items / floor_seconds:,.0f} items/s"
        )
    print(f"build+validate+hash+upsert+record: {built:,} items in {build_seconds:.1f}s = {build_rate:,.0f} items/s")
    print(
        f"unchanged re-run: {rebuilt:,} items in {unchanged_seconds:.1f}s = {rebuilt / unchanged_seconds:,.0f} items/s"
    )
    if floor_items:
        print(f"build / floor = {build_rate / (floor_items / floor_seconds):.0%} (goal >= 60%)")
    print(f"peak RSS: {rss_mb:.0f} MiB")


if __name__ == "__main__":
    main()
