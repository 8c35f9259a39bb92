"""Legacy feeds collect, then submit (docs/change-detection.md#two-modes): ``saas-export resync`` of
orders and customer groups on the embedded default (SQLite catalog and feed DB, ``file://``
target), and the scheduled ``tasks.submit_legacy`` in a real worker (MariaDB catalog, PostgreSQL
feed DB, RabbitMQ).
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, insert, select, update

from exporters.db import create_db_engine
from exporters.feeds import ORDERS, SCOPES_CUSTOMER_GROUP, customer_group_code
from exporters.feedtable import feed_id
from exporters.feedtable.tables import feed_table
from exporters.model import Status
from exporters.runs import RunStore, Runtime
from exporters.runs import lock as feed_lock
from exporters.runs.execute import collect
from exporters.runs.submit import legacy_store, watermark
from exporters.source import schema as s
from tests.support.cli import saas_export
from tests.support.cluster import Cluster, run_id_of
from tests.support.items import exported
from tests.support.waiting import eventually
from tests.tasks.test_resync_options import catalog, counts, run_of

MAX_ID = 2**63 - 1


def statuses(feeds: Engine, table: str) -> dict[str, int]:
    t = feed_table(table)
    with feeds.connect() as conn:
        return {row.feed_id: int(row.status) for row in conn.execute(select(t.c.feed_id, t.c.status))}


def test_a_second_orders_resync_submits_exactly_the_changed_order(tmp_path: Path) -> None:
    # Given the orders feed resynced once: collected, then every order submitted at the run's end
    source, feeds = catalog(tmp_path)
    first = saas_export(tmp_path, "resync", "--feed", "orders")
    assert first.returncode == 0, first.stderr
    orders = counts(run_of(feeds, first.stdout))[0]
    assert orders > 1
    assert counts(run_of(feeds, first.stdout)) == (orders, orders, 0, 0, 0)
    assert len(exported(tmp_path / "var" / "export", "orders", run_id=run_id_of(first.stdout))) == orders
    # When one order gets a customer note, and the feed is resynced again
    with source.begin() as conn:
        changed = conn.execute(select(s.sales_order.c.entity_id).order_by(s.sales_order.c.entity_id)).scalars().first()
        conn.execute(update(s.sales_order).where(s.sales_order.c.entity_id == changed).values(customer_note="ring"))
    again = saas_export(tmp_path, "resync", "--feed", "orders")
    # Then exactly that order is submitted, with its note, and every row is accepted
    assert again.returncode == 0, again.stderr
    sent = exported(tmp_path / "var" / "export", "orders", run_id=run_id_of(again.stdout))
    assert [(int(item["commerceOrderId"]), item["customerNote"]) for item in sent] == [(changed, "ring")]
    assert counts(run_of(feeds, again.stdout)) == (orders, 1, orders - 1, 0, 0)
    assert set(statuses(feeds, ORDERS.table).values()) == {int(Status.ACCEPTED)}


def test_a_deleted_customer_group_is_submitted_as_a_tombstone(tmp_path: Path) -> None:
    # Given the customer groups resynced once
    source, feeds = catalog(tmp_path)
    first = saas_export(tmp_path, "resync", "--feed", "scopesCustomerGroup")
    assert first.returncode == 0, first.stderr
    [gone] = [
        item
        for item in exported(tmp_path / "var" / "export", "scopesCustomerGroup", run_id=run_id_of(first.stdout))
        if item["customerGroupId"] == "3"
    ]
    # When group 3 is deleted in the source and the feed is resynced
    with source.begin() as conn:
        conn.execute(s.customer_group.delete().where(s.customer_group.c.customer_group_id == 3))
    again = saas_export(tmp_path, "resync", "--feed", "scopesCustomerGroup")
    # Then the submit sends exactly its tombstone: the stored item, marked deleted
    assert again.returncode == 0, again.stderr
    [tombstone] = exported(tmp_path / "var" / "export", "scopesCustomerGroup", run_id=run_id_of(again.stdout))
    assert {**tombstone, "modifiedAt": None} == {**gone, "modifiedAt": None, "deleted": True}
    assert counts(run_of(feeds, again.stdout)) == (3, 1, 3, 1, 0)
    t = feed_table(SCOPES_CUSTOMER_GROUP.table)
    with feeds.connect() as conn:
        row = conn.execute(
            select(t.c.is_deleted, t.c.status).where(t.c.feed_id == feed_id(gone, SCOPES_CUSTOMER_GROUP.identity))
        ).one()
    assert tuple(row) == (1, int(Status.ACCEPTED))


# -- the scheduled submit, in a real worker ------------------------------------------------------


def test_the_scheduled_submit_sends_the_rows_written_since_and_skips_a_held_feed(cluster: Cluster) -> None:
    # Given the customer groups resynced by a worker (collected, then submitted)
    [worker] = cluster.start_workers(1)
    first = cluster.cli("resync", "--feed", "scopesCustomerGroup")
    assert first.returncode == 0, first.stderr
    spec, feeds = SCOPES_CUSTOMER_GROUP, cluster.feed_engine
    with feeds.connect() as conn:
        before = watermark(conn, spec.name, "default")
    assert before is not None
    # and then a new group collected into the feed table, not yet submitted
    rt = Runtime.create(cluster.source_db, cluster.feed_db, f"file://{cluster.export_dir}", "default")
    with create_db_engine(cluster.source_db).begin() as conn:
        conn.execute(insert(s.customer_group).values(customer_group_id=77, customer_group_code="g77"))
    collected = collect(rt.source_for("test"), legacy_store(rt, spec), 0, MAX_ID, bury_vanished=False)
    assert (collected.new, collected.unchanged) == (1, 4)
    new = customer_group_code(77)
    # When the scheduled submit task runs
    call = {"feed": spec.name}
    assert cluster.celery("call", "tasks.submit_legacy", "--kwargs", json.dumps(call)).returncode == 0
    # Then it sends exactly that group, and its row is accepted
    eventually(
        lambda: set(statuses(feeds, spec.table).values()) == {int(Status.ACCEPTED)} or None,
        timeout=30,
        waiting_for="the new group accepted",
        seen=lambda: worker.log_text()[-3000:],
    )
    sent = exported(cluster.export_dir, spec.name, run_id="submit")
    assert [item["customerGroupCode"] for item in sent] == [new]
    # When a run holds the feed and the task runs again
    holder = RunStore(feeds).create_run(spec.name, {}, 500, 1, "elsewhere", 1, lease=600)
    assert cluster.celery("call", "tasks.submit_legacy", "--kwargs", json.dumps(call)).returncode == 0
    line = (
        f"submit of {spec.name} skipped: Feed sync skipped, resource occupied by another process: "
        f"feed '{spec.name}' is held by run {holder}"
    )
    eventually(lambda: worker.logged(line) or None, timeout=30, waiting_for="the skip line", seen=worker.log_text)
    # Then it logged one line, sent nothing more, and the holder keeps the feed
    assert worker.logged(line) == 1
    assert len(exported(cluster.export_dir, spec.name, run_id="submit")) == 1
    assert feed_lock.holder(feeds, spec.name) == holder
