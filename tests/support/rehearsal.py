"""Fault rehearsals: faults done to the real services, and what must hold after every one.

Every fault is undone in a ``finally`` (a service is never left down or blocked for the next
test): RabbitMQ's app is started again, its memory watermark restored, table locks released.
"""

from __future__ import annotations

import subprocess
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from exporters.feeds import PRODUCTS
from exporters.feedtable import FeedStore
from exporters.model import RunStatus
from exporters.runs import Run, RunStore
from exporters.runs import lock as feed_lock
from tests.support.cluster import Cluster
from tests.support.items import exported, product_keys
from tests.support.waiting import eventually


def assert_claims_never_overlap(store: RunStore, run_id: str) -> None:
    """No chunk ran twice at once: each claim that ended did so before the chunk's next claim.

    (A claim that never ended lost its worker; the store only lets a chunk be claimed again once
    such a claim's lease has run out.)
    """
    by_seq = defaultdict(list)
    for claim in store.claims(run_id):
        by_seq[claim.seq].append(claim)
    for seq, claims in by_seq.items():
        for earlier, later in pairwise(sorted(claims, key=lambda c: c.claimed_at)):
            if earlier.ended_at is not None:
                assert earlier.ended_at <= later.claimed_at, f"chunk {seq}: {earlier} overlaps {later}"


def assert_run_complete(cluster: Cluster, run: Run, expected: set[tuple[str, str]]) -> None:
    """The products run succeeded with exact counts, each item exported exactly once, every feed
    row accepted, no chunk run twice at once, and the feed free."""
    assert run.status == RunStatus.SUCCEEDED, (run.status, run.error, run.report)
    counts = run.counts
    assert (counts.built, counts.sent, counts.unchanged, counts.failed) == (len(expected), len(expected), 0, 0)
    delivered = Counter(product_keys(exported(cluster.export_dir, run_id=run.run_id)))
    assert delivered == Counter(sorted(expected))
    store = RunStore(cluster.feed_engine)
    assert FeedStore(cluster.feed_engine, PRODUCTS).counts_by_status() == {200: len(expected)}
    assert_claims_never_overlap(store, run.run_id)
    assert feed_lock.holder(cluster.feed_engine, "products") is None


def rabbitmqctl(*args: str) -> str:
    return subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, text=True, timeout=120).stdout


@contextmanager
def rabbitmq_stopped() -> Iterator[None]:
    """RabbitMQ's app stopped (connections dropped, queues kept), started again on exit."""
    rabbitmqctl("stop_app")
    try:
        yield
    finally:
        rabbitmqctl("start_app")
        subprocess.run(["rabbitmq-diagnostics", "-q", "check_port_connectivity"], check=True, timeout=120)


@contextmanager
def rabbitmq_publishing_blocked() -> Iterator[None]:
    """A memory alarm: RabbitMQ blocks every publisher until the watermark is restored."""
    saved = rabbitmqctl("eval", "vm_memory_monitor:get_vm_memory_high_watermark().").strip()
    rabbitmqctl("set_vm_memory_high_watermark", "0.000001")
    try:
        yield
    finally:
        rabbitmqctl("set_vm_memory_high_watermark", saved)


def kill_connections(engine: Engine, keep: Connection) -> int:
    """Terminate every connection to ``engine``'s database but ``keep``; how many were killed."""
    database = make_url(str(engine.url)).database
    if engine.dialect.name == "postgresql":
        rows = keep.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db AND pid <> pg_backend_pid()"
            ),
            {"db": database},
        ).all()
        return len(rows)
    mine = keep.execute(text("SELECT CONNECTION_ID()")).scalar_one()
    ids = (
        keep.execute(
            text("SELECT id FROM information_schema.PROCESSLIST WHERE db = :db AND id <> :mine"),
            {"db": database, "mine": mine},
        )
        .scalars()
        .all()
    )
    for connection_id in ids:
        keep.execute(text(f"KILL CONNECTION {int(connection_id)}"))
    return len(ids)


def wait_for_blocked(engine: Engine, statement: str, timeout: float = 60.0) -> None:
    """Until a session of ``engine``'s database waits on a lock running ``statement`` (a prefix).

    Each look is its own transaction: PostgreSQL keeps one snapshot of its statistics views per
    transaction.
    """
    if engine.dialect.name == "postgresql":
        query = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE :q")
    else:
        query = text(
            "SELECT count(*) FROM information_schema.PROCESSLIST WHERE state LIKE 'Waiting for%lock%' AND info LIKE :q"
        )

    def blocked() -> bool:
        with engine.connect() as conn:
            return int(conn.execute(query, {"q": f"{statement}%"}).scalar_one()) > 0

    eventually(
        blocked,
        timeout=timeout,
        interval=0.1,
        waiting_for=f"a session blocked on a lock in `{statement}…`",
    )
