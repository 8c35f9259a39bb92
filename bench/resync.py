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
import statistics
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
    """Peak resident memory and CPU time of each worker process (with its children), sampled in a thread."""

    def __init__(self, pids: list[int]) -> None:
        self.peaks = dict.fromkeys(pids, 0)
        self.cpu = dict.fromkeys(pids, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.peaks:
                try:
                    proc = psutil.Process(pid)
                    family = [proc, *proc.children(recursive=True)]
                    rss = sum(p.memory_info().rss for p in family)
                    cpu = sum(sum(p.cpu_times()[:2]) for p in family)
                except psutil.Error:
                    continue
                self.peaks[pid] = max(self.peaks[pid], rss)
                self.cpu[pid] = max(self.cpu[pid], cpu)
            time.sleep(0.1)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_once(cluster: BenchCluster, lanes: int, batch: int) -> dict[str, float]:
    result = cluster.cli("resync", "--feed", "products", "--batch-size", str(batch), "--thread-count", str(lanes))
    if result.returncode != 0:
        raise SystemExit(f"resync failed:\n{result.stdout}\n{result.stderr}")
    store = RunStore(create_db_engine(cluster.env["SAAS_EXPORT_FEED_DB"]))
    run = store.recent("products", 1)[0]
    chunks = store.chunks(run.run_id)
    assert run.finished_at is not None
    wall = (run.finished_at - run.created_at).total_seconds()
    inside = sum((c.finished_at - c.started_at).total_seconds() for c in chunks if c.finished_at and c.started_at)
    lanes = min(lanes, len(chunks))
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
    concurrency: int = 1,
) -> tuple[dict[str, float], dict[str, float] | None]:
    with tempfile.TemporaryDirectory() as tmp:
        feed_db = fresh_db(f"saas_bench_feed_{label}_{workers}")
        cluster = BenchCluster(source_url, feed_db, Path(tmp), target=target, settings=settings)
        try:
            with RssSampler(cluster.start(workers, concurrency=concurrency)) as rss:
                first = run_once(cluster, workers * concurrency, batch)
                again = run_once(cluster, workers * concurrency, batch) if rerun else None
            first["peak_rss_mib"] = max(rss.peaks.values()) / 2**20
            first["worker_cpu_s"] = sum(rss.cpu.values())
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
    parser.add_argument("--concurrency", type=int, default=1, help="pool processes per worker (lanes = 2 x this)")
    parser.add_argument("--repeat", type=int, default=1, help="--target http: runs of each kind (medians compared)")
    parser.add_argument(
        "--setting", action="append", default=[], metavar="NAME=VALUE", help="--target http: a setting of the sender"
    )
    args = parser.parse_args()

    source_url = ensure_catalog(args.profile, args.seed)
    if args.target == "http":
        extra = dict(setting.split("=", 1) for setting in args.setting)
        http_runs(source_url, args.batch_size, args.profile, args.concurrency, args.repeat, extra)
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


def http_runs(source_url: str, batch: int, profile: str, concurrency: int, repeat: int, extra: dict[str, str]) -> None:
    """Two workers to ``null://`` and to a local receiver (gzip on, then off), ``repeat`` times in
    turn; the ratio is of medians, so one slow run (this machine's neighbours) does not decide it."""
    rates: dict[str, list[float]] = {"null://": [], "http (gzip true)": [], "http (gzip false)": []}
    lanes = f"2 workers x {concurrency}"
    for _ in range(repeat):
        null, _ = cluster_runs(source_url, 2, batch, f"{profile}_null", rerun=False, concurrency=concurrency)
        rates["null://"].append(null["items_per_s"])
        print(
            f"null://, {lanes}: {null['items']:,.0f} items in {null['seconds']:.1f}s = {null['items_per_s']:,.0f} "
            f"items/s; CPU: workers {null['worker_cpu_s']:.1f}s",
            flush=True,
        )
        for gzip in ("true", "false"):
            first, posts, answers, receiver_cpu = http_run(source_url, batch, profile, concurrency, gzip, extra)
            rates[f"http (gzip {gzip})"].append(first["items_per_s"])
            print(
                f"http (gzip {gzip}), {lanes}: {first['items']:,.0f} items in {first['seconds']:.1f}s = "
                f"{first['items_per_s']:,.0f} items/s ({first['items_per_s'] / null['items_per_s']:.2f}x null://); "
                f"{posts:,} requests = {posts / first['seconds']:,.1f} requests/s; answers {answers}; "
                f"CPU: workers {first['worker_cpu_s']:.1f}s, receiver {receiver_cpu:.1f}s",
                flush=True,
            )
    baseline = statistics.median(rates["null://"])
    for label, values in rates.items():
        middle = statistics.median(values)
        print(f"median of {repeat}: {label} {middle:,.0f} items/s ({middle / baseline:.2f}x null://)")


def http_run(
    source_url: str, batch: int, profile: str, concurrency: int, gzip: str, extra: dict[str, str]
) -> tuple[dict[str, float], int, dict[str, int], float]:
    """One run to a fresh receiver: the run's figures, requests, answers by status, receiver CPU seconds."""
    key = "bench-key"
    with tempfile.TemporaryDirectory() as tmp:
        receiver = BenchReceiver(Path(tmp), key)
        try:
            settings = {"SAAS_EXPORT_API_KEY": key, "SAAS_EXPORT_HTTP_GZIP": gzip, **extra}
            first, _ = cluster_runs(
                source_url, 2, batch, f"{profile}_http", rerun=False, target=receiver.url, settings=settings,
                concurrency=concurrency,
            )  # fmt: skip
            stats = receiver.stats()
            receiver_cpu = sum(psutil.Process(receiver.process.pid).cpu_times()[:2])
        finally:
            receiver.stop()
    answers = {status: int(n) for status, n in stats["posts"].items()}
    return first, sum(answers.values()), answers, receiver_cpu


if __name__ == "__main__":
    main()
