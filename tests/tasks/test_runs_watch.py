"""``saas-export runs watch RUN_ID``: a run started elsewhere followed like an attached resync.

The cluster tests run real ``celery worker`` processes on RabbitMQ + Redis (catalog in MariaDB,
feed tables in PostgreSQL); the unknown-id test runs on the embedded default.
"""

from __future__ import annotations

import signal
from pathlib import Path

from sqlalchemy import create_engine, update

from exporters.feeds import PRODUCTS
from exporters.model import RunStatus
from exporters.runs import RunStore
from exporters.source import schema as s
from tests.support.catalog import attribute_of
from tests.support.cli import saas_export
from tests.support.cluster import Cluster, run_id_of
from tests.support.feeds import build_feed
from tests.support.items import expected_items
from tests.support.waiting import eventually


def summary_rows(stdout: str) -> list[list[str]]:
    """The cells of the summary table's rows (feed, status, chunks, built, sent, unchanged, tombstones, failed)."""
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in stdout.splitlines() if line.startswith("│ ")]


def start(cluster: Cluster) -> str:
    """A products resync in chunks of 200 sent to the cluster without waiting; its run id."""
    started = cluster.cli("resync", "--feed", "products", "--batch-size", "200", "--no-wait")
    assert started.returncode == 0, started.stderr
    run_id = run_id_of(started.stdout)
    assert started.stdout.splitlines()[-1] == f"watch it with: saas-export runs watch {run_id}"
    return run_id


def test_a_run_started_without_waiting_is_watched_to_its_end_and_again_once_ended(cluster: Cluster) -> None:
    # Given a resync started with --no-wait before any worker is up
    items = len(expected_items(cluster.source_db))
    run_id = start(cluster)
    # When it is watched, and then two workers come and take its chunks
    watcher = cluster.cli_process("runs", "watch", run_id)
    cluster.start_workers(2)
    out, err = watcher.communicate(timeout=180)
    # Then the watch follows it to its end and exits 0 with the summary an attached resync prints
    assert watcher.returncode == 0, err
    assert out.startswith(f"watching run {run_id} (products, running); Ctrl-C stops watching, not the run\n")
    assert f"products run {run_id}" in out
    assert summary_rows(out) == [["products", "succeeded", "6", "1,160", "1,160", "0", "0", "0"]]
    assert items == 1160
    # When the ended run is watched again
    again = cluster.cli("runs", "watch", run_id, timeout=60)
    # Then its summary is printed at once, without a progress bar, and the exit code is the same
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout.splitlines()[0] == f"products run {run_id}"
    assert "watching" not in again.stdout
    assert summary_rows(again.stdout) == [["products", "succeeded", "6", "1,160", "1,160", "0", "0", "0"]]


def test_a_run_started_by_celery_call_is_watched_to_its_end(cluster: Cluster) -> None:
    # Given one worker, and a resync started with celery call (the worker plans it)
    cluster.start_workers(1)
    assert cluster.cli("db", "upgrade").returncode == 0
    called = cluster.celery("call", "tasks.resync", "--kwargs", '{"feed": "products"}', "--queue", cluster.queue)
    assert called.returncode == 0, called.stderr
    store = RunStore(cluster.feed_engine)
    run_id = eventually(
        lambda: store.recent("products", 1), timeout=60, waiting_for="the worker to plan a products run"
    )[0].run_id
    # When it is watched as soon as its row exists
    result = cluster.cli("runs", "watch", run_id, timeout=180)
    # Then the watch ends with the run, exit 0, and the summary of every item (chunks of 500)
    assert result.returncode == 0, result.stderr
    assert summary_rows(result.stdout) == [["products", "succeeded", "3", "1,160", "1,160", "0", "0", "0"]]


def test_watching_a_partial_run_exits_with_its_code(cluster: Cluster) -> None:
    # Given 10 products whose status is neither enabled nor disabled at any store (their items fail)
    ids = sorted({item["productId"] for item in build_feed(PRODUCTS, cluster.source_db).items})[:10]
    source = create_engine(cluster.source_db)
    with source.begin() as conn:
        status_id, _ = attribute_of(conn, "status")
        values = s.product_values["int"]
        conn.execute(
            update(values).where(values.c.attribute_id == status_id, values.c.entity_id.in_(ids)).values(value=7)
        )
    source.dispose()
    built = build_feed(PRODUCTS, cluster.source_db)
    assert (len(built.failures), len(built.items)) == (10, 1150)  # one item per product and website fails
    # When a resync is started without waiting on two workers and watched
    cluster.start_workers(2)
    run_id = start(cluster)
    result = cluster.cli("runs", "watch", run_id, timeout=180)
    # Then the watch exits 1 as an attached resync does, naming the run's status and where to look
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[-1] == f"run {run_id} partial: see `saas-export runs show {run_id}`"
    assert summary_rows(result.stdout) == [["products", "partial", "6", "1,150", "1,150", "0", "0", "10"]]
    assert RunStore(cluster.feed_engine).run(run_id).status == RunStatus.PARTIAL


def test_ctrl_c_stops_watching_not_the_run_and_a_stalled_run_is_reported(cluster: Cluster) -> None:
    # Given a resync started without waiting and no worker on the cluster's queue
    run_id = start(cluster)
    # When it is watched and the watch gets Ctrl-C (SIGINT) once it has started following
    watcher = cluster.cli_process("runs", "watch", run_id, PYTHONUNBUFFERED="1")
    assert watcher.stdout is not None
    first = watcher.stdout.readline()
    assert first == f"watching run {run_id} (products, running); Ctrl-C stops watching, not the run\n"
    watcher.send_signal(signal.SIGINT)
    out, err = watcher.communicate(timeout=60)
    # Then the watch stops with exit code 130 and says the run goes on; the run is still running
    assert watcher.returncode == 130, (out, err)
    assert out.splitlines()[-1] == (
        f"stopped watching run {run_id}; the run goes on (`saas-export runs watch {run_id}` watches it again, "
        f"`saas-export runs cancel {run_id}` stops it)"
    )
    assert RunStore(cluster.feed_engine).run(run_id).status == RunStatus.RUNNING
    # When it is watched with a short stall period and still no worker comes
    cluster.settings["SAAS_EXPORT_STALL_AFTER"] = "3"
    stalled = cluster.cli("runs", "watch", run_id, timeout=60)
    # Then the watch gives up as the attached resync does, with one line saying why and what to do
    assert stalled.returncode == 1
    assert stalled.stderr.splitlines() == [
        f"error: run {run_id} has made no progress for 3 s: no worker is taking its chunks (are workers running "
        f"on its queue?), or they are stuck. It goes on when workers come back; `saas-export runs repair {run_id}` "
        f"sends its stopped lanes again, `saas-export runs cancel {run_id}` stops it"
    ]
    assert RunStore(cluster.feed_engine).run(run_id).status == RunStatus.RUNNING


def test_an_unknown_run_id_exits_2_naming_it_and_how_to_list_runs(tmp_path: Path) -> None:
    # When a run id nobody started is watched (embedded default, empty feed database)
    result = saas_export(tmp_path, "runs", "watch", "0" * 32)
    # Then one line names it and the command that lists runs
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: no run with id '{'0' * 32}'. `saas-export status` lists recent runs.\n"
