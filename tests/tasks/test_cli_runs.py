"""``saas-export runs …`` and bad input, on the embedded default (SQLite files in a fresh folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from exporters.feeds import PRODUCTS
from exporters.feedtable import upgrade
from exporters.model import ChunkStatus, RunStatus
from exporters.runs import RunStore, Runtime, claim_chunk, process_chunk
from exporters.runs import lock as feed_lock
from tests.support.cli import saas_export
from tests.support.items import expected_items
from tests.support.runs import planned_run


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with a sample catalog of 60 products in the embedded default's SQLite source."""
    assert saas_export(tmp_path, "sample-data", "--products", "60", "--seed", "5").returncode == 0
    return tmp_path


def local_runtime(folder: Path) -> Runtime:
    """The runtime the CLI builds in ``folder`` (default settings), with the feed DB migrated."""
    rt = Runtime.create(
        f"sqlite:///{folder / 'var' / 'catalog.sqlite'}",
        f"sqlite:///{folder / 'var' / 'feeds.sqlite'}",
        f"file://{folder / 'var' / 'export'}",
        "default",
    )
    upgrade(rt.feed_engine)
    return rt


def test_a_feed_name_is_printed_as_it_is_not_as_markup(tmp_path: Path) -> None:
    result = saas_export(tmp_path, "resync", "--feed", "[/x]")
    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown feed '[/x]'. Valid feeds: productAttributes, products, ")


def test_a_table_a_feed_reads_missing_is_refused_before_any_run(folder: Path) -> None:
    # Given a catalog without the media gallery's link table
    engine = create_engine(f"sqlite:///{folder / 'var' / 'catalog.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE catalog_product_entity_media_gallery_value_to_entity"))
    # When the products feed is resynced, then one line names the table and its module; nothing runs
    result = saas_export(folder, "resync", "--feed", "products")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: the Magento database at sqlite:///var/catalog.sqlite has no table "
        "catalog_product_entity_media_gallery_value_to_entity (Magento_Catalog, Magento 2.4). "
    )
    assert len(result.stderr.splitlines()) == 1
    assert not (folder / "var" / "export").exists()


def test_cancel_stops_a_run_and_frees_its_feed(folder: Path) -> None:
    # Given a dispatched run nobody is working on
    rt = local_runtime(folder)
    run_id, _ = planned_run(rt, PRODUCTS, batch_size=20)
    # When it is cancelled
    result = saas_export(folder, "runs", "cancel", run_id)
    # Then it is cancelled, its feed is free, and its chunks do nothing any more
    assert (result.returncode, result.stdout) == (0, f"run {run_id} cancelled; feed products released\n")
    assert RunStore(rt.feed_engine).run(run_id).status == RunStatus.CANCELLED
    assert feed_lock.holder(rt.feed_engine, "products") is None
    assert process_chunk(rt, run_id, 0, "late").built == 0
    # and cancelling it again says it already ended
    again = saas_export(folder, "runs", "cancel", run_id)
    assert (again.returncode, again.stderr) == (
        2,
        f"error: run {run_id} already ended (cancelled); nothing to cancel\n",
    )


def test_finalize_by_hand_refuses_while_a_chunk_is_worked_on_unless_forced(folder: Path) -> None:
    # Given a run whose chunk 0 is claimed by a live worker
    rt = local_runtime(folder)
    run_id, chunks = planned_run(rt, PRODUCTS, batch_size=20)
    claim_chunk(rt, run_id, 0, "busy-worker")
    # When it is finalized by hand, then it is refused, naming the chunk and the way out
    refused = saas_export(folder, "runs", "finalize", run_id)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"error: run {run_id} has 1 chunk(s) still being worked on (0); wait for them, or "
        f"`saas-export runs cancel {run_id}`, or finalize anyway with --force\n"
    )
    # When forced, then every unfinished chunk is recorded failed and the run fails
    forced = saas_export(folder, "runs", "finalize", run_id, "--force")
    assert forced.returncode == 1
    store = RunStore(rt.feed_engine)
    assert store.run(run_id).status == RunStatus.FAILED
    assert [c.status for c in store.chunks(run_id)] == [ChunkStatus.FAILED] * chunks


def test_repair_completes_a_run_whose_lanes_were_never_sent(folder: Path) -> None:
    # Given a run planned and dispatched by a process that died before sending any chunk
    rt = local_runtime(folder)
    run_id, chunks = planned_run(rt, PRODUCTS, batch_size=20, thread_count=2)
    process_chunk(rt, run_id, 0, "the planner's last words")
    # When it is repaired on the embedded default
    result = saas_export(folder, "runs", "repair", run_id)
    # Then its stopped lanes are sent again (chunks 1 and 2), and the run completes with every item
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"run {run_id}: sent chunk(s) 1, 2 again\n")
    run = RunStore(rt.feed_engine).run(run_id)
    expected = expected_items(f"sqlite:///{folder / 'var' / 'catalog.sqlite'}")
    assert (run.status, run.counts.sent, run.chunks_total) == (RunStatus.SUCCEEDED, len(expected), chunks)
    assert [c.attempts for c in RunStore(rt.feed_engine).chunks(run_id)] == [1] * chunks
