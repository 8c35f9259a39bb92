"""Full resyncs through real ``celery worker`` processes on RabbitMQ + Redis.

The catalog is in MariaDB, the feed tables in PostgreSQL, the target is ``file://``. Every test
here uses the ``cluster`` fixture, so tests/conftest.py marks it ``cluster``, ``mariadb`` and
``postgres``.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, select, text, update

from exporters.db import create_db_engine
from exporters.feeds import PRODUCTS
from exporters.feedtable import FeedStore, upgrade
from exporters.model import Status
from exporters.runs import Chunk, PlannedRun, Run, RunStore, Runtime, process_chunk
from exporters.runs import lock as feed_lock
from exporters.runs.tables import runs as runs_table
from exporters.sample_data import generate
from exporters.source import schema as s
from tests.support.catalog import attribute_of
from tests.support.cli import resync_complete
from tests.support.cluster import Cluster, run_id_of
from tests.support.items import expected_items, exported, product_keys
from tests.support.runs import planned_run
from tests.support.waiting import eventually

LOST_JOB = "Task handler raised error: WorkerLostError("


def wait_for_finished_run(cluster: Cluster, run_id: str, timeout: float = 120.0) -> Run:
    return cluster.wait_for_run(run_id, timeout)


def test_a_full_resync_delivers_every_item_once_and_a_rerun_sends_nothing(cluster: Cluster) -> None:
    # Given two workers and the expected items of the catalog
    expected = expected_items(cluster.source_db)
    cluster.start_workers(2)
    # When a full resync runs
    first = cluster.cli("resync", "--feed", "products", "--batch-size", "200", "--thread-count", "2")
    # Then it succeeds and every item reached the target and the feed table exactly once
    assert first.returncode == 0, first.stderr
    assert resync_complete("Products Feed").search(first.stdout), first.stdout
    items = exported(cluster.export_dir)
    assert product_keys(items) == sorted(expected)
    assert len(items) == len(expected) == 1160  # seed 7 leaves 40 products on no website
    assert FeedStore(cluster.feed_engine, PRODUCTS).counts_by_status() == {200: len(expected)}
    run = RunStore(cluster.feed_engine).run(run_id_of(first.stdout))
    assert (run.status, run.chunks_total, run.counts.sent, run.counts.unchanged) == ("succeeded", 6, len(expected), 0)
    # When it runs again with nothing changed
    second = cluster.cli("resync", "--feed", "PRODUCTS", "--batch-size", "200")
    # Then nothing is sent
    assert second.returncode == 0, second.stderr
    rerun = RunStore(cluster.feed_engine).run(run_id_of(second.stdout))
    assert (rerun.counts.sent, rerun.counts.unchanged, rerun.counts.tombstones) == (0, len(expected), 0)
    assert len(exported(cluster.export_dir)) == len(expected)


def test_a_changed_product_sends_its_items_and_a_deleted_one_its_tombstones(cluster: Cluster) -> None:
    # Given two workers and the catalog resynced once
    cluster.start_workers(2)
    assert cluster.cli("resync", "--feed", "products", "--batch-size", "300").returncode == 0
    # and then one product renamed and another deleted in the source
    engine = create_db_engine(cluster.source_db)
    e = s.catalog_product_entity
    with engine.begin() as conn:
        changed_id, changed_sku = conn.execute(
            select(e.c.entity_id, e.c.sku).where(e.c.sku == "product_dynamic_10")
        ).one()
        deleted_id, deleted_sku = conn.execute(
            select(e.c.entity_id, e.c.sku).where(e.c.sku == "product_dynamic_20")
        ).one()
        name_id, _ = attribute_of(conn, "name")
        varchar = s.product_values["varchar"]
        conn.execute(
            update(varchar)
            .where(varchar.c.entity_id == changed_id, varchar.c.attribute_id == name_id)
            .values(value="Renamed product")
        )
        for table in (*s.product_values.values(),):
            conn.execute(delete(table).where(table.c.entity_id == deleted_id))
        conn.execute(delete(s.catalog_product_website).where(s.catalog_product_website.c.product_id == deleted_id))
        conn.execute(delete(e).where(e.c.entity_id == deleted_id))
    # When the feed is resynced
    result = cluster.cli("resync", "--feed", "products", "--batch-size", "300")
    # Then exactly the changed item and the deleted product's tombstone are sent
    assert result.returncode == 0, result.stderr
    sent = exported(cluster.export_dir, run_id=run_id_of(result.stdout))
    assert sorted((i["sku"], i["deleted"]) for i in sent) == sorted([(changed_sku, False), (deleted_sku, True)])
    assert next(i for i in sent if not i["deleted"])["name"] == "Renamed product"
    run = RunStore(cluster.feed_engine).run(run_id_of(result.stdout))
    assert (run.counts.sent, run.counts.tombstones) == (2, 1)
    # and a third run sends nothing: the tombstone went out once
    third = cluster.cli("resync", "--feed", "products", "--batch-size", "300")
    assert exported(cluster.export_dir, run_id=run_id_of(third.stdout)) == []


def held_chunks(store: RunStore, run_id: str, workers: int) -> list[Chunk]:
    """The chunks running once ``workers`` of them are (each worker holds one)."""

    def held() -> list[Chunk] | None:
        running = [c for c in store.chunks(run_id) if c.status == "running"]
        return running if len(running) == workers else None

    return eventually(
        held,
        timeout=60,
        waiting_for=f"{workers} chunks of run {run_id} running at once",
        seen=lambda: store.chunks(run_id),
    )


def test_a_worker_killed_mid_chunk_loses_nothing(cluster: Cluster, make_db) -> None:
    # Given two workers, and the feed table locked against writes so that the chunk each worker
    # takes first is held mid-way: started (one attempt), built, not yet written or sent
    cluster.source_db = make_db("mariadb")
    generate(cluster.source_db, "small", products=1500, seed=11)
    expected = expected_items(cluster.source_db)
    victim, _ = cluster.start_workers(2)
    feed_engine = cluster.feed_engine
    upgrade(feed_engine)
    store = RunStore(feed_engine)
    with feed_engine.connect() as holder:
        holder.execute(text(f"LOCK TABLE {PRODUCTS.table} IN SHARE ROW EXCLUSIVE MODE"))
        started = cluster.cli("resync", "--feed", "products", "--batch-size", "200", "--no-wait")
        assert started.returncode == 0, started.stderr
        run_id = run_id_of(started.stdout)
        held = held_chunks(store, run_id, workers=2)
        killed = next(c.seq for c in held if (c.worker or "").startswith(f"{victim.name}#"))
        # When the victim's pool process is SIGKILLed while it holds its chunk, and the lock goes
        lost = victim.logged(LOST_JOB)
        assert cluster.kill_pool_process(victim) is not None
        eventually(
            lambda: victim.logged(LOST_JOB) > lost,
            timeout=30,
            waiting_for=f"{victim.name} to log a lost job ({LOST_JOB!r})",
            seen=lambda: victim.log_text()[-3000:],
        )
        holder.rollback()
    # Then the run completes with every item delivered once and exact counts
    run = wait_for_finished_run(cluster, run_id)
    assert run.status == "succeeded"
    assert (run.counts.built, run.counts.sent, run.counts.unchanged, run.counts.failed) == (
        len(expected),
        len(expected),
        0,
        0,
    )
    items = exported(cluster.export_dir)
    assert Counter(product_keys(items)) == Counter(sorted(expected))
    # and the killed chunk ran twice, every other chunk once
    chunks = store.chunks(run_id)
    assert [c.attempts for c in chunks] == [2 if c.seq == killed else 1 for c in chunks]
    assert FeedStore(feed_engine, PRODUCTS).counts_by_status() == {200: len(expected)}


def test_a_second_resync_of_the_same_feed_is_refused(cluster: Cluster) -> None:
    # Given a run started while no worker consumes its queue (so it stays running)
    first = cluster.cli("resync", "--feed", "products", "--no-wait")
    assert first.returncode == 0, first.stderr
    holder = run_id_of(first.stdout)
    # When a second resync of the feed starts
    second = cluster.cli("resync", "--feed", "Products")
    # Then it is refused with exit 3, naming the holder, and creates no run row
    assert second.returncode == 3
    message = second.stderr.replace("\n", " ")
    assert f"held by run {holder} (host " in message and ", pid " in message
    with cluster.feed_engine.connect() as conn:
        assert conn.execute(select(runs_table.c.run_id)).scalars().all() == [holder]


def test_thread_count_caps_chunks_running_at_once_across_four_workers(cluster: Cluster) -> None:
    # Given four worker processes
    cluster.start_workers(4)
    # When a resync runs with --thread-count 2 and twelve chunks
    result = cluster.cli("resync", "--feed", "products", "--batch-size", "100", "--thread-count", "2")
    assert result.returncode == 0, result.stderr
    chunks = RunStore(cluster.feed_engine).chunks(run_id_of(result.stdout))
    assert len(chunks) == 12
    # Then at most two chunks were ever executing at the same moment (and two did)
    events = sorted([(c.started_at, 1) for c in chunks] + [(c.finished_at, -1) for c in chunks])
    running, peak = 0, 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    assert peak == 2
    assert len({(c.worker or "").split("#")[0] for c in chunks}) >= 2


def test_the_celery_call_path_starts_the_same_run(cluster: Cluster) -> None:
    # Given one worker and the expected items of the catalog
    expected = expected_items(cluster.source_db)
    cluster.start_workers(1)
    assert cluster.cli("db", "upgrade").returncode == 0
    # When the resync task is called with celery call
    called = cluster.celery("call", "tasks.resync", "--kwargs", '{"feed": "products"}', "--queue", cluster.queue)
    assert called.returncode == 0, called.stderr
    # Then a run is planned by the worker and completes like the CLI's
    store = RunStore(cluster.feed_engine)
    started = eventually(
        lambda: store.recent("products", 1), timeout=60, waiting_for="the worker to plan a products run"
    )
    run = wait_for_finished_run(cluster, started[0].run_id)
    assert run.status == "succeeded"
    assert (run.counts.sent, run.batch_size, run.thread_count) == (len(expected), 500, 2)
    assert product_keys(exported(cluster.export_dir)) == sorted(expected)


def test_runs_finalize_closes_a_run_whose_finalize_was_lost(cluster: Cluster) -> None:
    # Given a run whose chunks all ran but whose finalize was never sent (they ran in this
    # process, which hands no lane on: as if the finalize message was lost)
    expected = expected_items(cluster.source_db)
    rt = Runtime.create(cluster.source_db, cluster.feed_db, f"file://{cluster.export_dir}", "default")
    upgrade(rt.feed_engine)
    run_id, chunks = planned_run(rt, PRODUCTS, batch_size=400)
    for seq in range(chunks):
        process_chunk(rt, run_id, seq, "test")
    store = RunStore(rt.feed_engine)
    planned = PlannedRun(run_id, PRODUCTS, chunks)
    assert all(c.final for c in store.chunks(planned.run_id))
    assert store.run(planned.run_id).status == "running"
    assert feed_lock.holder(rt.feed_engine, "products") == planned.run_id
    # When it is finalized by hand
    result = cluster.cli("runs", "finalize", planned.run_id)
    # Then the run is closed with its totals and the feed is free again
    assert result.returncode == 0, result.stderr
    run = store.run(planned.run_id)
    assert (run.status, run.counts.sent, run.counts.built) == ("succeeded", len(expected), len(expected))
    assert feed_lock.holder(rt.feed_engine, "products") is None
    # and finalizing again changes nothing
    assert cluster.cli("runs", "finalize", planned.run_id).returncode == 0
    assert store.run(planned.run_id).counts.sent == len(expected)
    assert FeedStore(rt.feed_engine, PRODUCTS, data_space=rt.data_space).counts_by_status() == {
        int(Status.ACCEPTED): len(expected)
    }


def test_an_attached_cli_reports_a_run_that_makes_no_progress(cluster: Cluster) -> None:
    # Given no worker on the cluster's queue, and a short stall period
    cluster.settings["SAAS_EXPORT_STALL_AFTER"] = "3"
    # When a resync is followed from the CLI
    result = cluster.cli("resync", "--feed", "products")
    # Then it stops waiting with one line saying why and what to do (the run itself goes on)
    assert result.returncode == 1
    run_id = run_id_of(result.stderr)
    assert result.stderr.splitlines()[-1] == (
        f"error: run {run_id} has made no progress for 3 s: no worker is taking its chunks (are workers running "
        f"on its queue?), or they are stuck. It goes on when workers come back; `saas-export runs repair {run_id}` "
        f"sends its stopped lanes again, `saas-export runs cancel {run_id}` stops it"
    )
    assert RunStore(cluster.feed_engine).run(run_id).status == "running"
