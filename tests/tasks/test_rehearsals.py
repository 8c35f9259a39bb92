"""Fault rehearsals on the real services: each fault a run meets in production, and the proof
that the run still ends, with every item delivered exactly once, no chunk run twice at the same
time (from the claim log) and its feed released. Half and more use a MariaDB feed database.
docs/reliability.md lists each fault with the test that rehearses it.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Iterator

import pytest
import redis
from sqlalchemy import create_engine, delete, text, update

from exporters.feeds import PRODUCTS
from exporters.feedtable import FeedStore
from exporters.model import ChunkStatus, RunStatus
from exporters.runs import RunStore
from exporters.runs import lock as feed_lock
from exporters.source import schema as s
from tests.support.catalog import attribute_of
from tests.support.cluster import RESULTS, Cluster, run_id_of
from tests.support.feeds import build_feed
from tests.support.items import expected_items, exported, product_keys
from tests.support.rehearsal import (
    assert_claims_never_overlap,
    assert_run_complete,
    kill_connections,
    rabbitmq_publishing_blocked,
    rabbitmq_stopped,
    wait_for_blocked,
)
from tests.support.waiting import eventually

#: The sweeper every second; a lane quiet for five seconds counts as stopped.
FAST_SWEEP = {"SAAS_EXPORT_SWEEP_INTERVAL": "1", "SAAS_EXPORT_STALL_AFTER": "5"}


def under_way(cluster: Cluster) -> str:
    """Two workers and the sweeper (fast), and a run of chunks of 100 started on them; its id."""
    cluster.settings.update(FAST_SWEEP)
    cluster.start_workers(2)
    cluster.start_beat()
    return start(cluster, "--batch-size", "100")


def start(cluster: Cluster, *args: str) -> str:
    """A products resync sent to the cluster without waiting; its run id."""
    started = cluster.cli("resync", "--feed", "products", "--no-wait", *args)
    assert started.returncode == 0, started.stderr
    return run_id_of(started.stdout)


def chunks_done(cluster: Cluster, run_id: str, at_least: int) -> None:
    store = RunStore(cluster.feed_engine)
    eventually(
        lambda: sum(c.status == ChunkStatus.DONE for c in store.chunks(run_id)) >= at_least,
        timeout=60,
        interval=0.05,
        waiting_for=f"{at_least} chunk(s) of run {run_id} done",
        seen=lambda: store.chunks(run_id),
    )


@pytest.fixture
def expected(catalog_url: str) -> set[tuple[str, str]]:
    return expected_items(catalog_url)


def test_a_pool_process_killed_after_its_chunk_committed_continues_its_lane_once(
    cluster: Cluster, expected: set[tuple[str, str]]
) -> None:
    # Given one lane of chunks; chunk 0 is held at its feed-table write while chunk 1's row gets
    # locked, so that chunk 0, once committed, is held again while it hands its lane on
    cluster.start_workers(2)
    store = RunStore(cluster.feed_engine)
    assert cluster.cli("db", "upgrade").returncode == 0
    with cluster.feed_engine.connect() as table, cluster.feed_engine.connect() as row:
        table.execute(text(f"LOCK TABLE {PRODUCTS.table} IN SHARE ROW EXCLUSIVE MODE"))
        run_id = start(cluster, "--batch-size", "200", "--thread-count", "1")
        row.execute(text("SELECT seq FROM saas_chunk WHERE run_id = :r AND seq = 1 FOR UPDATE"), {"r": run_id})
        table.rollback()
        wait_for_blocked(cluster.feed_engine, "UPDATE saas_chunk SET dispatched_at")
        held = store.chunk(run_id, 0)
        assert (held.status, held.handed_on_at) == (ChunkStatus.DONE, None)
        # When the pool process holding chunk 0 is SIGKILLed there (committed, lane not yet carried
        # on, not acked), and the row lock goes
        kill_holder(cluster, held.worker)
        row.rollback()
    # Then chunk 0's redelivery runs nothing but carries the lane on, once, and the run completes
    run = cluster.wait_for_run(run_id)
    assert_run_complete(cluster, run, expected)
    assert [c.attempts for c in store.chunks(run_id)] == [1] * run.chunks_total
    assert Counter(c.seq for c in store.claims(run_id)) == dict.fromkeys(range(run.chunks_total), 1)


def kill_holder(cluster: Cluster, worker: str | None) -> None:
    """SIGKILL the pool process of the worker that claimed a chunk (``<worker name>#<pid>``)."""
    holding = next(w for w in cluster.workers if (worker or "").startswith(f"{w.name}#"))
    assert cluster.kill_pool_process(holding) is not None


def test_rabbitmq_restarted_mid_run(mariadb_cluster: Cluster, expected: set[tuple[str, str]]) -> None:
    cluster = mariadb_cluster
    # Given a run under way on two workers, with the sweeper on
    run_id = under_way(cluster)
    chunks_done(cluster, run_id, 2)
    # When RabbitMQ stops for a few seconds mid-run
    with rabbitmq_stopped():
        time.sleep(3)
    # Then the run completes exactly
    assert_run_complete(cluster, cluster.wait_for_run(run_id, timeout=240), expected)


def test_redis_flushed_mid_run(cluster: Cluster, expected: set[tuple[str, str]]) -> None:
    # Given a run under way (the run's state is in the feed database, Redis only holds results)
    cluster.start_workers(2)
    run_id = start(cluster, "--batch-size", "100")
    chunks_done(cluster, run_id, 2)
    # When Redis is flushed mid-run
    client = redis.Redis.from_url(RESULTS)
    try:
        assert client.flushdb()
    finally:
        client.close()
    # Then the run completes exactly
    assert_run_complete(cluster, cluster.wait_for_run(run_id), expected)


@pytest.fixture(params=["mariadb", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_feed_db_cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    """The cluster with its feed database in MariaDB, then in PostgreSQL."""
    name = "mariadb_cluster" if request.param == "mariadb" else "cluster"
    yield request.getfixturevalue(name)


def test_every_feed_db_connection_killed_mid_run(any_feed_db_cluster: Cluster, expected: set[tuple[str, str]]) -> None:
    cluster = any_feed_db_cluster
    # Given a run under way on two workers, with the sweeper on
    run_id = under_way(cluster)
    # When every connection to the feed database is terminated, twice, mid-run
    with cluster.feed_engine.connect() as killer:
        for done in (2, 5):
            chunks_done(cluster, run_id, done)
            assert kill_connections(cluster.feed_engine, killer) > 0
    # Then the run completes exactly (dropped connections are transient: the chunks retried)
    assert_run_complete(cluster, cluster.wait_for_run(run_id, timeout=240), expected)


def test_a_chunk_past_its_hard_time_limit_is_taken_over(
    mariadb_cluster: Cluster, expected: set[tuple[str, str]]
) -> None:
    cluster = mariadb_cluster
    cluster.settings.update(FAST_SWEEP | {"SAAS_EXPORT_TASK_SOFT_TIME_LIMIT": "2", "SAAS_EXPORT_TASK_TIME_LIMIT": "4"})
    # Given two workers and the sweeper, and a run planned while the feed table is free
    workers = cluster.start_workers(2)
    cluster.start_beat()
    store = RunStore(cluster.feed_engine)
    # When a catalog table the builder reads (planning does not) is write-locked for longer than
    # the hard time limit, so the chunks reading it are killed (blocked in the driver, a chunk
    # cannot even see its soft limit)
    source = create_engine(cluster.source_db)
    with source.connect() as holder:
        holder.execute(text("LOCK TABLES catalog_product_entity_media_gallery_value WRITE"))
        run_id = start(cluster, "--batch-size", "200")
        eventually(
            lambda: sum(w.logged("Hard time limit (4s) exceeded") for w in workers) >= 2,
            timeout=60,
            waiting_for="both lanes' first chunks killed at their hard time limit",
            seen=lambda: [w.log_text()[-1500:] for w in workers],
        )
        holder.execute(text("UNLOCK TABLES"))
    source.dispose()
    # Then the killed chunks were claimed again once their leases ran out, and the run completes
    run = cluster.wait_for_run(run_id, timeout=240)
    assert_run_complete(cluster, run, expected)
    chunks = store.chunks(run_id)
    assert all(c.attempts >= 2 for c in chunks if c.seq < 2) and all(c.attempts == 1 for c in chunks if c.seq >= 2)


def test_the_cli_killed_while_planning_then_repaired(mariadb_cluster: Cluster, expected: set[tuple[str, str]]) -> None:
    cluster = mariadb_cluster
    cluster.settings.update({"SAAS_EXPORT_RUN_LEASE": "3"})
    cluster.start_workers(2)
    store = RunStore(cluster.feed_engine)
    assert cluster.cli("db", "upgrade").returncode == 0
    # Given a planner held where it counts the feed's items (its run row and lock already written)
    with cluster.feed_engine.connect() as holder:
        holder.execute(text(f"LOCK TABLES {PRODUCTS.table} WRITE"))
        planner = cluster.cli_process("resync", "--feed", "products", "--no-wait", "--batch-size", "200")
        wait_for_blocked(cluster.feed_engine, "SELECT count(*)")
        # When it is killed there
        planner.send_signal(signal.SIGKILL)
        planner.wait()
        holder.execute(text("UNLOCK TABLES"))
    run = store.recent("products", 1)[0]
    assert (run.status, run.chunks_total, store.chunks(run.run_id)) == (RunStatus.PLANNING, 0, [])
    # Then, once its lease ran out, `runs repair` plans it again and it completes
    time.sleep(3.5)
    repaired = cluster.cli("runs", "repair", run.run_id)
    assert repaired.returncode == 0, repaired.stderr
    assert repaired.stdout.startswith(f"run {run.run_id}: planned again\n")
    assert_run_complete(cluster, cluster.wait_for_run(run.run_id), expected)


def test_the_cli_killed_while_dispatching_then_repaired(
    mariadb_cluster: Cluster, expected: set[tuple[str, str]]
) -> None:
    cluster = mariadb_cluster
    store = RunStore(cluster.feed_engine)
    assert cluster.cli("db", "upgrade").returncode == 0
    # Given a resync whose chunks cannot be published (RabbitMQ blocks every publisher)
    with rabbitmq_publishing_blocked():
        dispatcher = cluster.cli_process("resync", "--feed", "products", "--no-wait", "--batch-size", "200")
        run = eventually(
            lambda: next((r for r in store.recent("products", 1) if r.status == RunStatus.RUNNING), None),
            timeout=60,
            waiting_for="the run to be planned and marked running",
        )
        time.sleep(1)
        # When the CLI is killed while it tries to send the first chunks
        dispatcher.send_signal(signal.SIGKILL)
        dispatcher.wait()
    assert [c.dispatched_at for c in store.chunks(run.run_id)] == [None] * run.chunks_total
    # Then `runs repair` sends the first chunk of every lane again (a head that did reach the
    # queue runs once: its duplicate finds it claimed or done), and the run completes
    repaired = cluster.cli("runs", "repair", run.run_id)
    assert repaired.returncode == 0, repaired.stderr
    assert repaired.stdout == f"run {run.run_id}: sent chunk(s) 0, 1 again\n"
    cluster.start_workers(2)
    assert_run_complete(cluster, cluster.wait_for_run(run.run_id), expected)


def test_six_hundred_invalid_products_make_a_partial_run_with_a_report(mariadb_cluster: Cluster) -> None:
    cluster = mariadb_cluster
    # Given 600 products with items whose status is neither enabled nor disabled at any store
    catalog = cluster.source_db
    ids = sorted({item["productId"] for item in build_feed(PRODUCTS, catalog).items})[:600]
    source = create_engine(catalog)
    with source.begin() as conn:
        status_id, _ = attribute_of(conn, "status")
        values = s.product_values["int"]
        conn.execute(
            update(values).where(values.c.attribute_id == status_id, values.c.entity_id.in_(ids)).values(value=7)
        )
    source.dispose()
    built = build_feed(PRODUCTS, catalog)
    failing = len(built.failures)
    assert len({f.source_id for f in built.failures}) == 600
    # When the feed is resynced
    cluster.start_workers(2)
    run = cluster.wait_for_run(start(cluster))
    # Then the run is partial; its report counts every failure and keeps the first 1,000
    assert (run.status, run.counts.failed, run.counts.sent) == (RunStatus.PARTIAL, failing, len(built.items))
    assert run.report is not None
    assert run.report["errorCounts"] == {"schema_violation": failing}
    assert len(run.report["items"]) == min(failing, 1000)
    assert run.report["itemsOmitted"] == max(0, failing - 1000)
    assert {i["code"] for i in run.report["items"]} == {"schema_violation"}
    assert feed_lock.holder(cluster.feed_engine, "products") is None


def test_an_emptied_website_table_trips_the_mass_delete_guard(cluster: Cluster, expected: set[tuple[str, str]]) -> None:
    # Given every item accepted once
    cluster.start_workers(2)
    first = cluster.wait_for_run(start(cluster))
    assert_run_complete(cluster, first, expected)
    # When catalog_product_website is emptied (a half-restored backup) and the feed resynced
    source = create_engine(cluster.source_db)
    with source.begin() as conn:
        conn.execute(delete(s.catalog_product_website))
    source.dispose()
    result = cluster.cli("resync", "--feed", "products")
    # Then the run stops with one line naming the numbers, sends nothing and deletes nothing
    assert result.returncode == 1
    n = len(expected)
    assert (
        f"mass-delete guard: this run of products would delete {n:,} item(s) of the feed's {n:,} accepted "
        "(100%), more than the 20% allowed" in result.stderr
    )
    stopped = RunStore(cluster.feed_engine).recent("products", 1)[0]
    assert (stopped.status, stopped.counts.tombstones, stopped.counts.sent) == (RunStatus.FAILED, 0, 0)
    assert exported(cluster.export_dir, run_id=stopped.run_id) == []
    assert FeedStore(cluster.feed_engine, PRODUCTS).counts_by_status() == {200: n}
    assert feed_lock.holder(cluster.feed_engine, "products") is None
    # When it is run again with --allow-mass-delete, then every item's tombstone goes
    allowed = cluster.cli("resync", "--feed", "products", "--allow-mass-delete")
    assert allowed.returncode == 0, allowed.stderr
    buried = RunStore(cluster.feed_engine).recent("products", 1)[0]
    assert buried.counts.tombstones == n
    tombstones = exported(cluster.export_dir, run_id=buried.run_id)
    assert (product_keys(tombstones), {t["deleted"] for t in tombstones}) == (sorted(expected), {True})


def test_two_planners_racing_from_two_hosts(mariadb_cluster: Cluster) -> None:
    cluster = mariadb_cluster
    assert cluster.cli("db", "upgrade").returncode == 0
    # Given two hosts starting a resync of the same feed at the same moment
    racers = {
        host: cluster.cli_process("resync", "--feed", "products", "--no-wait", SAAS_EXPORT_NODE_NAME=host)
        for host in ("host-a", "host-b")
    }
    outcomes = {host: (p.wait(timeout=120), p.communicate()) for host, p in racers.items()}
    # Then exactly one planned a run; the other was refused (exit 3) naming the winner and its host
    winners = [host for host, (code, _) in outcomes.items() if code == 0]
    losers = [host for host, (code, _) in outcomes.items() if code == 3]
    assert len(winners) == len(losers) == 1
    runs = RunStore(cluster.feed_engine).recent("products", 10)
    assert len(runs) == 1 and runs[0].host == winners[0]
    refusal = outcomes[losers[0]][1][1]
    assert f"feed 'products' is held by run {runs[0].run_id} (host {winners[0]}, pid {runs[0].pid})" in refusal
    assert_claims_never_overlap(RunStore(cluster.feed_engine), runs[0].run_id)
