"""End-to-end products resync on the cluster: 1 and 2 worker processes, RabbitMQ + Redis.

    .venv/bin/python bench/resync.py [--profile medium] [--batch-size 500] [--large]

For each worker count: a fresh feed DB (MariaDB), ``saas-export resync --feed products`` with
``--thread-count`` = workers, the null target (delivery excluded), then an unchanged re-run.
Reported: items/s from the run's start to its finalize (run row timestamps), per-chunk
overhead (lane time not spent inside chunks, per chunk), and each worker's peak RSS (sampled
every 0.1 s). The single-process build-only throughput of ``bench/products_build.py`` is
measured in the same run for comparison. ``--large`` also runs one worker over the large
profile, to compare worker RSS between catalog sizes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.products_build import SERVER, build, ensure_catalog, ranges
from bench.workers import BenchCluster, BenchReceiver
from exporters.db import create_db_engine
from exporters.feeds import PRODUCTS
from exporters.feedtable import FeedStore, upgrade
from exporters.runs import RunStore
from exporters.source import MagentoSource


def fresh_db(name: str) -> str:
    server = create_engine(SERVER)
    with server.begin() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4"))
    return f"{SERVER}/{name}"


class RssSampler:
    """Peak resident memory of each worker process (with its children), sampled in a thread."""

    def __init__(self, pids: list[int]) -> None:
        self.peaks = dict.fromkeys(pids, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.peaks:
                try:
                    proc = psutil.Process(pid)
                    rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
                except psutil.Error:
                    continue
                self.peaks[pid] = max(self.peaks[pid], rss)
            time.sleep(0.1)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_once(cluster: BenchCluster, workers: int, batch: int) -> dict[str, float]:
    result = cluster.cli("resync", "--feed", "products", "--batch-size", str(batch), "--thread-count", str(workers))
    if result.returncode != 0:
        raise SystemExit(f"resync failed:\n{result.stdout}\n{result.stderr}")
    store = RunStore(create_db_engine(cluster.env["SAAS_EXPORT_FEED_DB"]))
    run = store.recent("products", 1)[0]
    chunks = store.chunks(run.run_id)
    assert run.finished_at is not None
    wall = (run.finished_at - run.created_at).total_seconds()
    inside = sum((c.finished_at - c.started_at).total_seconds() for c in chunks if c.finished_at and c.started_at)
    lanes = min(workers, len(chunks))
    return {
        "items": run.counts.built,
        "sent": run.counts.sent,
        "seconds": wall,
        "items_per_s": run.counts.built / wall,
        "chunks": len(chunks),
        "overhead_ms_per_chunk": 1000 * (wall * lanes - inside) / max(len(chunks), 1),
    }


def cluster_runs(
    source_url: str,
    workers: int,
    batch: int,
    label: str,
    rerun: bool = True,
    target: str = "null://",
    settings: dict[str, str] | None = None,
) -> tuple[dict[str, float], dict[str, float] | None]:
    with tempfile.TemporaryDirectory() as tmp:
        feed_db = fresh_db(f"saas_bench_feed_{label}_{workers}")
        cluster = BenchCluster(source_url, feed_db, Path(tmp), target=target, settings=settings)
        try:
            with RssSampler(cluster.start(workers)) as rss:
                first = run_once(cluster, workers, batch)
                again = run_once(cluster, workers, batch) if rerun else None
            first["peak_rss_mib"] = max(rss.peaks.values()) / 2**20
            return first, again
        finally:
            cluster.stop()


def build_only(source_url: str, batch: int) -> float:
    source = MagentoSource(source_url)
    chunks = ranges(source, batch)
    engine = create_db_engine(fresh_db("saas_bench_feed_buildonly"))
    upgrade(engine)
    started = time.perf_counter()
    items = build(source, FeedStore(engine, PRODUCTS), chunks)
    return items / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--large", action="store_true", help="also one worker over the large profile")
    parser.add_argument("--target", choices=("null", "http"), default="null", help="http: also to a local receiver")
    args = parser.parse_args()

    source_url = ensure_catalog(args.profile, args.seed)
    if args.target == "http":
        http_runs(source_url, args.batch_size, args.profile)
        return
    floor_rate = build_only(source_url, args.batch_size)
    print(f"single-process build-only ({args.profile}): {floor_rate:,.0f} items/s")
    results: dict[int, dict[str, float]] = {}
    for workers in (1, 2):
        first, again = cluster_runs(source_url, workers, args.batch_size, args.profile)
        assert again is not None
        results[workers] = first
        print(
            f"{workers} worker(s): {first['items']:,.0f} items in {first['seconds']:.1f}s = "
            f"{first['items_per_s']:,.0f} items/s ({first['items_per_s'] / floor_rate:.2f}x build-only); "
            f"{first['chunks']:.0f} chunks, overhead {first['overhead_ms_per_chunk']:.0f} ms/chunk; "
            f"peak worker RSS {first['peak_rss_mib']:.0f} MiB; unchanged re-run {again['seconds']:.1f}s "
            f"({first['seconds'] / again['seconds']:.1f}x faster, sent {again['sent']:.0f})"
        )
    if args.large:
        large_url = ensure_catalog("large", args.seed)
        first, _ = cluster_runs(large_url, 1, args.batch_size, "large", rerun=False)
        medium_rss = results[1]["peak_rss_mib"]
        print(
            f"large, 1 worker: {first['items']:,.0f} items in {first['seconds']:.1f}s = {first['items_per_s']:,.0f} "
            f"items/s; peak worker RSS {first['peak_rss_mib']:.0f} MiB "
            f"({first['peak_rss_mib'] / medium_rss - 1:+.0%} vs medium)"
        )


def http_runs(source_url: str, batch: int, profile: str) -> None:
    """Two workers to ``null://`` and to a local receiver (gzip on, then off), in one run."""
    null, _ = cluster_runs(source_url, 2, batch, f"{profile}_null", rerun=False)
    print(
        f"null://, 2 workers: {null['items']:,.0f} items in {null['seconds']:.1f}s = {null['items_per_s']:,.0f} items/s"
    )
    key = "bench-key"
    for gzip in ("true", "false"):
        with tempfile.TemporaryDirectory() as tmp:
            receiver = BenchReceiver(Path(tmp), key)
            try:
                settings = {"SAAS_EXPORT_API_KEY": key, "SAAS_EXPORT_HTTP_GZIP": gzip}
                first, _ = cluster_runs(
                    source_url, 2, batch, f"{profile}_http", rerun=False, target=receiver.url, settings=settings
                )
                stats = receiver.stats()
            finally:
                receiver.stop()
        answers = stats["posts"]
        assert isinstance(answers, dict)
        posts = sum(int(n) for n in answers.values())
        print(
            f"http (gzip {gzip}), 2 workers: {first['items']:,.0f} items in {first['seconds']:.1f}s = "
            f"{first['items_per_s']:,.0f} items/s ({first['items_per_s'] / null['items_per_s']:.2f}x null://); "
            f"{posts:,} requests = {posts / first['seconds']:,.1f} requests/s; answers {answers}"
        )


if __name__ == "__main__":
    main()
