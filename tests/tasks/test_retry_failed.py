"""Failed items sent again (``saas-export retry-failed``, the ``retry_failed`` task) and the
schedules celery beat drives, on real services: a ``saas-export receiver`` that fails a share
of requests then recovers, real ``celery worker`` and ``celery beat`` processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, update

from exporters.feeds import PRODUCTS
from exporters.feedtable import feed_id, feed_table
from exporters.model import Status
from exporters.runs import RunStore
from exporters.runs import lock as feed_lock
from tests.support.cli import saas_export
from tests.support.cluster import Cluster
from tests.support.feeds import build_feed
from tests.support.items import exported
from tests.support.receiver import Receiver
from tests.support.waiting import eventually
from tests.tasks.test_http_delivery import KEY, by_identity, catalog_url, feed_statuses, to


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A fresh folder with a sample catalog of 120 products (seed 3) as the embedded source."""
    assert saas_export(tmp_path, "sample-data", "--products", "120", "--seed", "3").returncode == 0
    return tmp_path


def feed_engine(folder: Path) -> Engine:
    return create_engine(f"sqlite:///{folder / 'var' / 'feeds.sqlite'}")


def set_statuses(engine: Engine, feed_ids: list[str], status: Status, error: str) -> None:
    table = feed_table(PRODUCTS.table)
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.feed_id.in_(feed_ids)).values(status=int(status), errors=error))


def failures_table(stdout: str) -> list[list[str]]:
    """The rows of the "Failed items" table ``saas-export status`` prints."""
    after = stdout.split("Failed items", 1)[1]
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in after.splitlines() if line.startswith("│")]


def test_items_failed_on_a_faulty_target_are_accepted_exactly_once_after_retry_failed(folder: Path) -> None:
    # Given a receiver failing 40% of the requests with a 500, and each batch of five tried once
    faulty = Receiver(folder / "receiver", ["--fail-share", "0.4", "--seed", "7"], api_key=KEY)
    once = {"SAAS_EXPORT_HTTP_ATTEMPTS": "1", "SAAS_EXPORT_FEEDS__PRODUCTS__SEND_BATCH_SIZE": "5"}
    with faulty:
        first = saas_export(folder, "resync", "--feed", "products", **to(faulty, **once))
        # Then the resync is partial: its failed items wait with status 2 and the receiver's message
        assert first.returncode == 1, first.stderr
        status = saas_export(folder, "status", **to(faulty))
    statuses = feed_statuses(folder, PRODUCTS)
    retryable = sorted(fid for fid, st in statuses.items() if st == 2)
    assert retryable and set(statuses.values()) == {200, 2}
    assert failures_table(status.stdout) == [
        ["products", str(len(retryable)), "0", "HTTP 500: injected failure (fail share 0.4)"]
    ]
    # When the receiver recovers (same store, no faults) and the failed items are retried
    recovered = Receiver(folder / "receiver", api_key=KEY)
    with recovered:
        result = saas_export(folder, "retry-failed", "--feed", "products", **to(recovered))
        # Then the retry run sent exactly the failed items, and every item is accepted, received once
        assert result.returncode == 0, result.stderr
        assert "Retrying failed Products Feed feed items..." in result.stdout
        expected = by_identity(PRODUCTS, build_feed(PRODUCTS, catalog_url(folder)).items)
        with recovered.client() as client:
            assert by_identity(PRODUCTS, client.items("products")) == expected
            receipts = client.receipts("products")["receipts"]
            assert (len(receipts), set(receipts.values())) == (len(expected), {1})
        # and nothing is left to retry: a second call says so and status lists no failure
        again = saas_export(folder, "retry-failed", **to(recovered))
        assert (again.returncode, again.stdout.strip()) == (0, "No failed items to retry.")
        assert "Failed items: none" in saas_export(folder, "status", **to(recovered)).stdout
    assert set(feed_statuses(folder, PRODUCTS).values()) == {200}
    engine = feed_engine(folder)
    retry_run = RunStore(engine).recent("products", 1)[0]
    engine.dispose()
    assert (retry_run.options, retry_run.status, retry_run.counts.sent) == (
        {"kind": "retry"},
        "succeeded",
        len(retryable),
    )


def test_rejected_items_are_not_retried_until_they_change(folder: Path, tmp_path: Path) -> None:
    # Given every product accepted by the receiver, then two rows marked retryable, one rejected
    # by the target (400) and one rejected inside an accepted batch (1)
    with Receiver(tmp_path / "receiver", api_key=KEY) as receiver:
        assert saas_export(folder, "resync", "--feed", "products", **to(receiver)).returncode == 0
        engine = feed_engine(folder)
        a, b, c, d = sorted(feed_statuses(folder, PRODUCTS))[:4]
        set_statuses(engine, [a, b], Status.RETRYABLE, "HTTP 503: busy")
        set_statuses(engine, [c], Status.REJECTED, "HTTP 400: bad request")
        set_statuses(engine, [d], Status.ITEM_REJECTED, "INVALID_ITEM: sku")
        # When the failed items are retried (every feed)
        result = saas_export(folder, "retry-failed", **to(receiver))
        # Then only the retryable rows were sent again (received twice) and accepted
        assert result.returncode == 0, result.stderr
        with receiver.client() as client:
            receipts = client.receipts("products")["receipts"]
        assert {fid: receipts[fid] for fid in (a, b, c, d)} == {a: 2, b: 2, c: 1, d: 1}
        assert sum(receipts.values()) == len(receipts) + 2
        statuses = feed_statuses(folder, PRODUCTS)
        assert [statuses[fid] for fid in (a, b, c, d)] == [200, 200, 400, 1]
        # and status shows the rejected ones with the latest error
        rows = failures_table(saas_export(folder, "status", "--feed", "products", **to(receiver)).stdout)
        assert rows[0][:3] == ["products", "0", "2"]
        assert rows[0][3] in ("HTTP 400: bad request", "INVALID_ITEM: sku")
    engine.dispose()


def test_retry_failed_on_a_locked_feed_exits_3_naming_the_holder(folder: Path, tmp_path: Path) -> None:
    # Given a retryable row and a resync holding the products feed
    target = {"SAAS_EXPORT_TARGET": f"file://{tmp_path / 'out'}"}
    assert saas_export(folder, "resync", "--feed", "products", **target).returncode == 0
    engine = feed_engine(folder)
    set_statuses(engine, sorted(feed_statuses(folder, PRODUCTS))[:1], Status.RETRYABLE, "HTTP 500: x")
    holder = RunStore(engine).create_run("products", {}, 500, 1, "elsewhere", 1, lease=600)
    # When the failed items are retried, then it exits 3 with the lock's line and adds no run
    result = saas_export(folder, "retry-failed", "--feed", "products", **target)
    assert result.returncode == 3
    assert f"feed 'products' is held by run {holder} (host elsewhere, pid 1)" in result.stderr
    assert len(RunStore(engine).recent("products")) == 2
    engine.dispose()


def test_a_bad_feed_name_exits_2(folder: Path) -> None:
    result = saas_export(folder, "retry-failed", "--feed", "nope")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "nope" in result.stderr


# -- the cluster: the tasks in real workers, driven by a real celery beat ---------------------------


def cluster_statuses(cluster: Cluster) -> dict[str, int]:
    table = feed_table(PRODUCTS.table)
    with cluster.feed_engine.connect() as conn:
        return {r.feed_id: int(r.status) for r in conn.execute(select(table.c.feed_id, table.c.status))}


def test_celery_beat_drives_retry_failed_every_two_seconds(cluster: Cluster) -> None:
    # Given the products feed synced by a worker, then three rows retryable and one rejected
    cluster.start_workers(1)
    assert cluster.cli("resync", "--feed", "products").returncode == 0
    first = len(exported(cluster.export_dir))
    ids = sorted(cluster_statuses(cluster))
    retryable, rejected = [ids[5], ids[500], ids[1000]], ids[700]
    table = feed_table(PRODUCTS.table)
    with cluster.feed_engine.begin() as conn:
        conn.execute(update(table).where(table.c.feed_id.in_(retryable)).values(status=2, errors="HTTP 500: x"))
        conn.execute(update(table).where(table.c.feed_id == rejected).values(status=400, errors="HTTP 400: y"))
    # When celery beat runs with retry_failed every 2 s
    cluster.settings["SAAS_EXPORT_RETRY_FAILED_INTERVAL"] = "2"
    beat = cluster.start_beat()
    store = RunStore(cluster.feed_engine)

    def retried() -> str | None:
        runs = [r for r in store.recent("products") if r.options.get("kind") == "retry"]
        return runs[0].run_id if runs and runs[0].status == "succeeded" else None

    run_id = eventually(retried, timeout=60, waiting_for="a retry run sent by beat", seen=beat.log_text)
    # Then beat sent the task, and its run sent exactly the three retryable items, now accepted
    assert beat.logged("Sending due task retry-failed (tasks.retry_failed)") >= 1
    sent = exported(cluster.export_dir, run_id=run_id)
    assert sorted(feed_id(item, PRODUCTS.identity) for item in sent) == retryable
    statuses = cluster_statuses(cluster)
    assert [statuses[fid] for fid in retryable] == [200, 200, 200] and statuses[rejected] == 400
    assert len(exported(cluster.export_dir)) == first + 3
    # and the following ticks find nothing to retry: no other retry run
    eventually(
        lambda: beat.logged("Sending due task retry-failed") >= 3 or None, timeout=30, waiting_for="two more ticks"
    )
    assert [r.run_id for r in store.recent("products") if r.options.get("kind") == "retry"] == [run_id]


def test_a_scheduled_resync_or_retry_of_a_locked_feed_is_skipped_with_one_log_line(cluster: Cluster) -> None:
    # Given a worker, a retryable row, and a run of elsewhere holding the products feed
    [worker] = cluster.start_workers(1)
    assert cluster.cli("resync", "--feed", "products").returncode == 0
    table = feed_table(PRODUCTS.table)
    with cluster.feed_engine.begin() as conn:
        first = conn.execute(select(table.c.feed_id).order_by(table.c.feed_id).limit(1)).scalar_one()
        conn.execute(update(table).where(table.c.feed_id == first).values(status=2))
    store = RunStore(cluster.feed_engine)
    holder = store.create_run("products", {}, 500, 1, "elsewhere", 1, lease=600)
    # When beat's scheduled resync and retry of the feed arrive
    for task, kwargs in (
        ("tasks.scheduled_resync", {"feed": "products"}),
        ("tasks.retry_failed", {"feed": "products"}),
    ):
        assert cluster.celery("call", task, "--kwargs", json.dumps(kwargs)).returncode == 0
    held = f"Feed sync skipped, resource occupied by another process: feed 'products' is held by run {holder}"
    resync_line, retry_line = (
        f"scheduled resync of products skipped: {held}",
        f"retry of failed products items skipped: {held}",
    )
    eventually(
        lambda: (worker.logged(resync_line) and worker.logged(retry_line)) or None,
        timeout=30,
        waiting_for="both skip lines",
        seen=lambda: worker.log_text()[-3000:],
    )
    # Then each logged exactly one line, queued nothing, and the holder keeps the feed
    assert (worker.logged(resync_line), worker.logged(retry_line)) == (1, 1)
    assert len(store.recent("products")) == 2
    assert feed_lock.holder(cluster.feed_engine, "products") == holder
