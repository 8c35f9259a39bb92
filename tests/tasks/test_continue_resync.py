"""``saas-export resync --continue-resync`` (docs/resync-options.md): the latest unfinished run of
the feed is resumed; chunks recorded done are skipped, the others run again."""

from __future__ import annotations

import signal
import time
from collections import Counter
from pathlib import Path

import psutil

from exporters.db import create_db_engine
from exporters.feeds import PRODUCTS
from exporters.model import ChunkStatus, RunStatus
from exporters.runs import RunStore
from tests.support.cli import saas_export
from tests.support.cluster import Cluster, run_id_of
from tests.support.feeds import build_feed
from tests.support.items import expected_items, exported, product_keys
from tests.support.rehearsal import assert_run_complete
from tests.support.waiting import eventually
from tests.tasks.test_resync_options import catalog, rename


def kill_worker(cluster: Cluster) -> None:
    """SIGKILL every worker, main and pool processes: the cluster is gone mid-run."""
    for worker in cluster.workers:
        process = psutil.Process(worker.process.pid)
        for child in process.children():
            child.send_signal(signal.SIGKILL)
        process.send_signal(signal.SIGKILL)
        worker.process.wait()
    cluster.workers.clear()


def test_continue_resync_after_the_cluster_was_killed_mid_run_sends_every_item_once(
    cluster: Cluster, catalog_url: str
) -> None:
    # Given a run of one lane of chunks of 50 ids on one worker, killed (worker and pool process)
    # once three chunks are done, its queued messages lost with it
    cluster.start_workers(1)
    started = cluster.cli("resync", "--feed", "products", "--no-wait", "--batch-size", "50", "--thread-count", "1")
    assert started.returncode == 0, started.stderr
    run_id = run_id_of(started.stdout)
    store = RunStore(cluster.feed_engine)
    eventually(
        lambda: sum(c.status == ChunkStatus.DONE for c in store.chunks(run_id)) >= 3,
        timeout=60,
        interval=0.02,
        waiting_for="three chunks done",
    )
    kill_worker(cluster)
    assert cluster.celery("purge", "-f", "-Q", cluster.queue).returncode == 0
    before = store.chunks(run_id)
    done = [c.seq for c in before if c.status == ChunkStatus.DONE]
    assert store.run(run_id).status == RunStatus.RUNNING and len(done) < len(before)
    # and an item of a done chunk and one of a chunk not done changed since
    source = create_db_engine(catalog_url)
    ids = sorted({int(item["productId"]) for item in build_feed(PRODUCTS, catalog_url).items})
    first_done, last = before[done[0]], before[-1]
    changed_done = rename(source, next(i for i in ids if first_done.lo <= i <= first_done.hi), "Changed (done chunk)")
    changed_later = rename(source, next(i for i in ids if last.lo <= i <= last.hi), "Changed later")
    time.sleep(3.5)  # the killed chunk's lease (3 s) runs out
    # When the resync is continued on a new worker
    cluster.start_workers(1)
    resumed = cluster.cli("resync", "--feed", "products", "--continue-resync")
    # Then the same run completes: every item sent exactly once, done chunks not run again
    assert resumed.returncode == 0, resumed.stderr
    assert f"continuing run {run_id}\n" in resumed.stdout
    expected = expected_items(catalog_url)
    assert_run_complete(cluster, cluster.wait_for_run(run_id), expected)
    after = {c.seq: c for c in store.chunks(run_id)}
    assert all(after[seq].finished_at == before[seq].finished_at for seq in done)
    claimed = Counter(c.seq for c in store.claims(run_id))
    assert all(claimed[seq] == 1 for seq in done)
    # and the done chunk's changed item was not sent by it (the resumed run skips done chunks),
    # the later chunk's was, with its new name
    sent = exported(cluster.export_dir, run_id=run_id)
    assert {i["name"] for i in sent if i["sku"] == changed_later} == {"Changed later"}
    assert "Changed (done chunk)" not in {i.get("name") for i in sent}
    # When an ordinary resync follows
    ordinary = cluster.cli("resync", "--feed", "products")
    # Then it sends exactly the done chunk's changed product (its row's hash differs)
    assert ordinary.returncode == 0, ordinary.stderr
    again = exported(cluster.export_dir, run_id=run_id_of(ordinary.stdout))
    assert sorted({i["sku"] for i in again}) == [changed_done]
    assert len(product_keys(again)) == sum(1 for key in expected if key[0] == changed_done)


def test_continue_resync_with_no_unfinished_run_exits_2(tmp_path: Path) -> None:
    # Given a catalog resynced to the end
    _, feeds = catalog(tmp_path)
    first = saas_export(tmp_path, "resync", "--feed", "products")
    assert first.returncode == 0, first.stderr
    # When the resync is continued
    result = saas_export(tmp_path, "resync", "--feed", "products", "--continue-resync")
    # Then there is nothing to continue: one sentence naming the latest run, exit 2, no new run
    assert (result.returncode, result.stderr) == (
        2,
        f"error: --continue-resync found no unfinished run of products (its latest run {run_id_of(first.stdout)} "
        "is succeeded with every chunk done): start a new one without --continue-resync\n",
    )
    assert len(RunStore(feeds).recent("products")) == 1
