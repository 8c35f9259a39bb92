"""A legacy feed's submit step as plain Python: a resync collects, finalize submits, and a batch
the target did not take keeps the watermark where it was (docs/change-detection.md#two-modes).

A sample catalog (SQLite), a feed database (SQLite) and a receiver served in this process; the
"down" target is a closed loopback port, tried once.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import func, insert, select

from exporters.db import create_db_engine
from exporters.feeds import SCOPES_CUSTOMER_GROUP, customer_group_code
from exporters.feedtable import upgrade
from exporters.feedtable.tables import feed_table
from exporters.model import Status
from exporters.runs import Run, Runtime, finalize_run
from exporters.runs.submit import legacy_store, submit, watermark
from exporters.source import schema as s
from exporters.targets import HttpConfig
from receiver import ReceiverConfig
from tests.support.cli import saas_export
from tests.support.receiver import ReceiverClient, serving
from tests.support.runs import run_chunks

#: Tried once, two items a request: a batch left retryable stops the submit at once.
HTTP = HttpConfig(attempts=1, batch_sizes={"scopescustomergroup": 2})
CLOSED_PORT = "http://127.0.0.1:9"


def resync(rt: Runtime) -> Run:
    run = finalize_run(rt, run_chunks(rt, SCOPES_CUSTOMER_GROUP, batch_size=100))
    assert run is not None
    return run


def statuses(rt: Runtime) -> dict[str, int]:
    t = feed_table(SCOPES_CUSTOMER_GROUP.table)
    with rt.feed_engine.connect() as conn:
        return {code_of(row.feed_data): row.status for row in conn.execute(select(t.c.feed_data, t.c.status))}


def code_of(feed_data: str) -> str:
    return str(orjson.loads(feed_data)["customerGroupCode"])


def mark(rt: Runtime) -> object:
    with rt.feed_engine.connect() as conn:
        return watermark(conn, SCOPES_CUSTOMER_GROUP.name, "default")


def test_a_failed_submit_batch_keeps_the_watermark_and_the_next_submit_sends_it_again(tmp_path: Path) -> None:
    # Given a sample catalog (four customer groups) resynced once to a receiver: collected, then submitted
    assert saas_export(tmp_path, "sample-data", "--products", "10", "--seed", "3").returncode == 0
    catalog, feeds = f"sqlite:///{tmp_path / 'var' / 'catalog.sqlite'}", f"sqlite:///{tmp_path / 'feeds.sqlite'}"
    with serving(ReceiverConfig(db_url=f"sqlite:///{tmp_path / 'receiver.sqlite'}")) as url:
        up = Runtime.create(catalog, feeds, url, "default", http=HTTP)
        upgrade(up.feed_engine)
        first = resync(up)
        assert (first.status, first.counts.built, first.counts.sent, first.counts.failed) == ("succeeded", 4, 4, 0)
        before = mark(up)
        assert before is not None
        # When three groups are added and the next resync's submit finds the target down
        with create_db_engine(catalog).begin() as conn:
            conn.execute(
                insert(s.customer_group), [{"customer_group_id": n, "customer_group_code": f"g{n}"} for n in (7, 8, 9)]
            )
        down = Runtime.create(catalog, feeds, CLOSED_PORT, "default", http=HTTP)
        failed = resync(down)
        # Then only its first batch was tried: two items left retryable, one never sent, the watermark unmoved
        new = {customer_group_code(n) for n in (7, 8, 9)}
        assert (failed.status, failed.counts.built, failed.counts.sent, failed.counts.unchanged) == ("partial", 7, 0, 4)
        assert failed.counts.failed == 2
        rows = statuses(down)
        assert sorted(rows[code] for code in new) == [
            int(Status.NEVER_SENT),
            int(Status.RETRYABLE),
            int(Status.RETRYABLE),
        ]
        assert mark(down) == before
        # When the feed is submitted again with the receiver up
        again = submit(up, legacy_store(up, SCOPES_CUSTOMER_GROUP), "again")
        # Then exactly the three new groups are sent, in two batches, and the watermark moves on
        assert (again.sent, again.failed, again.batches, again.stopped) == (3, 0, 2, None)
        assert set(statuses(up).values()) == {int(Status.ACCEPTED)}
        t = feed_table(SCOPES_CUSTOMER_GROUP.table)
        with up.feed_engine.connect() as conn:
            after = conn.execute(select(func.max(t.c.modified_at))).scalar_one()
        assert mark(up) == after
        with ReceiverClient(url) as client:
            held = client.items("scopesCustomerGroup")
            receipts = client.receipts("scopesCustomerGroup")["receipts"]
        assert len(held) == 7
        assert (len(receipts), set(receipts.values())) == (7, {1})  # each item received once
        # When nothing changed, then a submit sends nothing
        assert (submit(up, legacy_store(up, SCOPES_CUSTOMER_GROUP), "idle").batches, mark(up)) == (0, after)
