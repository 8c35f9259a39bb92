"""``saas-export resync --dry-run / --cleanup-feed / --no-reindex`` and the combinations refused.

Most tests run the CLI on the embedded default (SQLite catalog and feed DB, ``file://`` target);
the last one runs a dry run on the cluster (MariaDB catalog, PostgreSQL feed DB, real workers).
docs/resync-options.md describes each option.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, delete, func, select, update

from exporters.db import create_db_engine
from exporters.feeds import FEEDS, PRODUCTS, SCOPES_CUSTOMER_GROUP
from exporters.feedtable.tables import feed_table
from exporters.model import Status
from exporters.runs import Run, RunStore
from exporters.runs.options import ConflictingOptions
from exporters.source import schema as s
from tasks.dispatch import start
from tests.support.catalog import attribute_of
from tests.support.cli import saas_export
from tests.support.cluster import Cluster, run_id_of
from tests.support.items import exported, product_keys

CLEANUP_WARNING = (
    "warning: --cleanup-feed clears the local feed export state of products: deletions of entities no longer in "
    "the source can no longer be propagated, so they may not be reflected in the data space\n"
)


def feed_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every feed table, every column, in key order."""
    tables = {spec.table for spec in FEEDS.values()}
    rows = {}
    with engine.connect() as conn:
        for name in sorted(tables):
            t = feed_table(name)
            rows[name] = [tuple(r) for r in conn.execute(select(t).order_by(t.c.data_space, t.c.feed_id))]
    return rows


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def catalog(cwd: Path, products: int = 60) -> tuple[Engine, Engine]:
    """A small sample catalog under ``cwd``; engines on it and on the embedded feed DB."""
    created = saas_export(cwd, "sample-data", "--profile", "small", "--products", str(products), "--seed", "3")
    assert created.returncode == 0, created.stderr
    return create_db_engine(f"sqlite:///{cwd / 'var' / 'catalog.sqlite'}"), create_db_engine(
        f"sqlite:///{cwd / 'var' / 'feeds.sqlite'}"
    )


def product_rows(feeds: Engine) -> dict[int, list[str]]:
    """The products feed's rows: source id -> feed ids."""
    t = feed_table(PRODUCTS.table)
    by_id: dict[int, list[str]] = {}
    with feeds.connect() as conn:
        for sid, fid in conn.execute(select(t.c.source_entity_id, t.c.feed_id)):
            by_id.setdefault(int(sid), []).append(fid)
    return by_id


def rename(source: Engine, entity_id: int, name: str) -> str:
    """Rename a product in every scope; its sku."""
    varchar = s.product_values["varchar"]
    with source.begin() as conn:
        name_id, _ = attribute_of(conn, "name")
        conn.execute(
            update(varchar)
            .where(varchar.c.entity_id == entity_id, varchar.c.attribute_id == name_id)
            .values(value=name)
        )
        e = s.catalog_product_entity
        return str(conn.execute(select(e.c.sku).where(e.c.entity_id == entity_id)).scalar_one())


def delete_product(source: Engine, entity_id: int) -> str:
    """Delete a product as Magento's cascades do; its sku."""
    e = s.catalog_product_entity
    with source.begin() as conn:
        sku = str(conn.execute(select(e.c.sku).where(e.c.entity_id == entity_id)).scalar_one())
        for table in s.product_values.values():
            conn.execute(delete(table).where(table.c.entity_id == entity_id))
        conn.execute(delete(s.catalog_product_website).where(s.catalog_product_website.c.product_id == entity_id))
        conn.execute(delete(e).where(e.c.entity_id == entity_id))
    return sku


def run_of(feeds: Engine, stdout: str) -> Run:
    return RunStore(feeds).run(run_id_of(stdout))


def counts(run: Run) -> tuple[int, int, int, int, int]:
    c = run.counts
    return (c.built, c.sent, c.unchanged, c.tombstones, c.failed)


def by_code(item: dict[str, Any]) -> str:
    return str(item["customerGroupCode"])


def logged_payload(stderr: str) -> dict[str, Any]:
    """The payload ``EXPORTER_EXTENDED_LOG=1`` logged (the JSON after its header line)."""
    start = stderr.index("{")
    payload, _ = json.JSONDecoder().raw_decode(stderr[start:])
    return dict(payload)


def test_a_dry_run_writes_nothing_and_counts_what_a_resync_would_send(tmp_path: Path) -> None:
    # Given a catalog resynced once, then one product renamed and another deleted in the source
    source, feeds = catalog(tmp_path)
    assert saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "100").returncode == 0
    rows = product_rows(feeds)
    total = sum(len(fids) for fids in rows.values())
    changed_id, deleted_id = sorted(rows)[:2]
    changed_sku, deleted_sku = rename(source, changed_id, "Renamed product"), delete_product(source, deleted_id)
    changed, deleted = len(rows[changed_id]), len(rows[deleted_id])
    before_rows, before_files = feed_rows(feeds), files(tmp_path / "var" / "export")
    # When a dry run runs with the payloads logged
    result = saas_export(
        tmp_path, "resync", "--feed", "products", "--batch-size", "100", "--dry-run", EXPORTER_EXTENDED_LOG="1"
    )
    # Then the feed tables and the target are byte-for-byte unchanged
    assert result.returncode == 0, result.stderr
    assert feed_rows(feeds) == before_rows
    assert files(tmp_path / "var" / "export") == before_files
    # and the summary, marked as a dry run, counts what a resync would send, leave and delete
    assert "dry run: nothing is sent and no feed row is written\n" in result.stdout
    assert "DRY RUN, nothing sent or written: products run " in result.stdout
    run = run_of(feeds, result.stdout)
    assert run.options == {"force": False, "allow_mass_delete": False, "dry_run": True}
    assert counts(run) == (total - deleted, changed + deleted, total - changed - deleted, deleted, 0)
    assert (changed, deleted) == (1, 1)
    # and the payload that would be sent is logged: the renamed item and the deleted one's tombstone
    header = f"dry run {run.run_id}: 2 item(s) would be sent to file://var/export:\n"
    assert result.stderr.startswith(header + '{\n  "feed": "products",\n  "data": [\n'), result.stderr[:300]
    payload = logged_payload(result.stderr)
    assert sorted((i["sku"], i["deleted"]) for i in payload["data"]) == sorted(
        [(changed_sku, False), (deleted_sku, True)]
    )
    # When the real resync follows, it sends exactly what the dry run reported
    real = saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "100")
    assert real.returncode == 0, real.stderr
    sent = exported(tmp_path / "var" / "export", run_id=run_id_of(real.stdout))
    assert sorted((i["sku"], i["deleted"]) for i in sent) == sorted([(changed_sku, False), (deleted_sku, True)])
    assert counts(run_of(feeds, real.stdout)) == counts(run)


def test_cleanup_feed_empties_the_table_then_sends_every_item(tmp_path: Path) -> None:
    # Given a catalog resynced once, then one product deleted in the source
    source, feeds = catalog(tmp_path)
    first = saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "25")
    assert first.returncode == 0, first.stderr
    everything = exported(tmp_path / "var" / "export")
    rows = product_rows(feeds)
    deleted_sku = delete_product(source, sorted(rows)[0])
    live = sorted(k for k in product_keys(everything) if k[0] != deleted_sku)
    before_rows, before_files = feed_rows(feeds), files(tmp_path / "var" / "export")
    # When --cleanup-feed runs as a dry run
    dry = saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "25", "--cleanup-feed", "--dry-run")
    # Then nothing is truncated or sent; every live item would be sent and no deletion
    assert dry.returncode == 0, dry.stderr
    assert dry.stderr == CLEANUP_WARNING
    assert (feed_rows(feeds), files(tmp_path / "var" / "export")) == (before_rows, before_files)
    assert counts(run_of(feeds, dry.stdout)) == (len(live), len(live), 0, 0, 0)
    # When --cleanup-feed runs for real
    result = saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "25", "--cleanup-feed")
    # Then it warns that deletions can no longer be sent, and sends every live item, no tombstone
    assert result.returncode == 0, result.stderr
    assert result.stderr == CLEANUP_WARNING
    sent = exported(tmp_path / "var" / "export", run_id=run_id_of(result.stdout))
    assert product_keys(sent) == live
    assert not any(i["deleted"] for i in sent)
    assert counts(run_of(feeds, result.stdout)) == (len(live), len(live), 0, 0, 0)
    # and the table holds exactly those items, accepted
    t = feed_table(PRODUCTS.table)
    with feeds.connect() as conn:
        assert conn.execute(select(t.c.status, func.count()).group_by(t.c.status)).all() == [(200, len(live))]
    # When a plain resync follows, nothing is sent
    again = saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "25")
    assert exported(tmp_path / "var" / "export", run_id=run_id_of(again.stdout)) == []
    assert counts(run_of(feeds, again.stdout)) == (len(live), 0, len(live), 0, 0)


def test_no_reindex_resends_a_legacy_feeds_stored_rows_without_collecting(tmp_path: Path) -> None:
    # Given the customer groups feed resynced once, then a group deleted in the source
    source, feeds = catalog(tmp_path)
    first = saas_export(tmp_path, "resync", "--feed", "scopesCustomerGroup")
    assert first.returncode == 0, first.stderr
    t = feed_table(SCOPES_CUSTOMER_GROUP.table)
    with feeds.connect() as conn:
        stored = sorted((orjson.loads(d) for d in conn.execute(select(t.c.feed_data)).scalars()), key=by_code)
    assert stored == sorted(exported(tmp_path / "var" / "export", "scopesCustomerGroup"), key=by_code)
    with source.begin() as conn:
        conn.execute(delete(s.customer_group).where(s.customer_group.c.customer_group_id == 3))
    before_rows = feed_rows(feeds)
    # When the feed is re-submitted with --no-reindex
    result = saas_export(tmp_path, "resync", "--feed", "scopesCustomerGroup", "--no-reindex")
    # Then exactly the stored rows are sent again (the deleted group still live: nothing was collected)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Re-submitting Scopes Customer Groups Feed feed data...\n")
    assert "Scopes Customer Groups Feed feed data re-submit complete in " in result.stdout
    sent = exported(tmp_path / "var" / "export", "scopesCustomerGroup", run_id=run_id_of(result.stdout))
    assert sorted(sent, key=by_code) == stored
    assert len(sent) == 4
    assert counts(run_of(feeds, result.stdout)) == (0, 4, 0, 0, 0)
    # and the table is as it was (every row still accepted)
    assert feed_rows(feeds) == before_rows


def test_no_reindex_on_an_immediate_feed_sends_only_changed_and_failed_items(tmp_path: Path) -> None:
    # Given a catalog resynced once, then one product renamed and another's row left retryable
    source, feeds = catalog(tmp_path)
    assert saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "100").returncode == 0
    rows = product_rows(feeds)
    total = sum(len(fids) for fids in rows.values())
    changed_id, failed_id = sorted(rows)[:2]
    changed_sku = rename(source, changed_id, "Renamed again")
    t = feed_table(PRODUCTS.table)
    with feeds.begin() as conn:
        conn.execute(update(t).where(t.c.source_entity_id == failed_id).values(status=int(Status.RETRYABLE)))
        failed_sku = orjson.loads(
            conn.execute(select(t.c.feed_data).where(t.c.source_entity_id == failed_id)).scalar_one()
        )["sku"]
    # When --no-reindex runs
    result = saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "100", "--no-reindex")
    # Then one line says what it does on an immediate feed, and only those two items are sent
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Executing full re-sync of Products Feed feed data...\n"
        "--no-reindex: products is an immediate feed: it is rebuilt without emptying its table and only new, "
        "changed or previously failed items are sent\n"
    )
    sent = exported(tmp_path / "var" / "export", run_id=run_id_of(result.stdout))
    assert sorted(i["sku"] for i in sent) == sorted([changed_sku, failed_sku])
    assert counts(run_of(feeds, result.stdout)) == (total, 2, total - 2, 0, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--feed", "products", "--cleanup-feed", "--no-reindex"],
            "--cleanup-feed and --no-reindex conflict: --cleanup-feed empties the feed table that --no-reindex "
            "resends from; give one of them",
        ),
        (
            ["--feed", "orders", "--force", "--no-reindex"],
            "--force and --no-reindex conflict: --force sends every item, --no-reindex only changed or failed "
            "ones (or a legacy feed's stored rows, unbuilt); give one of them",
        ),
        (
            ["--all", "--cleanup-feed", "--allow-mass-delete"],
            "--allow-mass-delete does not apply with --cleanup-feed: the emptied feed table holds no row whose "
            "deletion could be sent; drop --allow-mass-delete",
        ),
        (
            ["--feed", "scopeswebsite", "--no-reindex", "--allow-mass-delete", "--dry-run"],
            "--allow-mass-delete does not apply to scopesWebsite with --no-reindex: a legacy feed's resubmit "
            "sends its stored rows and deletes nothing; drop --allow-mass-delete",
        ),
    ],
)
def test_conflicting_options_exit_2_before_anything_runs(tmp_path: Path, args: list[str], message: str) -> None:
    # Given no catalog and no feed DB at all; when a resync is given options that do not go together
    result = saas_export(tmp_path, "resync", *args)
    # Then it is one sentence saying which and why, exit 2, and nothing was touched (not even the source)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert not (tmp_path / "var").exists()


def test_a_dry_run_on_the_cluster_changes_no_feed_row_and_no_file(cluster: Cluster) -> None:
    # Given two workers logging payloads and the catalog resynced once
    cluster.settings["EXPORTER_EXTENDED_LOG"] = "1"
    workers = cluster.start_workers(2)
    first = cluster.cli("resync", "--feed", "products", "--batch-size", "300", "--thread-count", "2")
    assert first.returncode == 0, first.stderr
    before_rows, before_files = feed_rows(cluster.feed_engine), files(cluster.export_dir)
    # When a dry run runs, then a forced one
    dry = cluster.cli("resync", "--feed", "products", "--batch-size", "300", "--thread-count", "2", "--dry-run")
    forced = cluster.cli("resync", "--feed", "products", "--batch-size", "300", "--dry-run", "--force")
    # Then neither wrote a feed row or a file
    assert (dry.returncode, forced.returncode) == (0, 0), dry.stderr + forced.stderr
    assert feed_rows(cluster.feed_engine) == before_rows
    assert files(cluster.export_dir) == before_files
    # and the first would send nothing, the forced one every item (1,160, in 4 chunks)
    assert counts(run_of(cluster.feed_engine, dry.stdout)) == (1160, 0, 1160, 0, 0)
    forced_run = run_of(cluster.feed_engine, forced.stdout)
    assert counts(forced_run) == (1160, 1160, 0, 0, 0)
    # and the workers logged the forced run's payloads, one line per chunk with items
    logged = sum(w.log_text().count(f"dry run {forced_run.run_id}: ") for w in workers)
    assert logged == forced_run.chunks_total == 4


def test_the_celery_task_refuses_the_same_combinations() -> None:
    # When the resync task (``celery call tasks.resync``) is given conflicting options
    # Then it raises before reading any setting or database, with the CLI's sentence
    with pytest.raises(ConflictingOptions) as refused:
        start("orders", cleanup_feed=True, no_reindex=True)
    assert str(refused.value) == (
        "--cleanup-feed and --no-reindex conflict: --cleanup-feed empties the feed table that --no-reindex "
        "resends from; give one of them"
    )
