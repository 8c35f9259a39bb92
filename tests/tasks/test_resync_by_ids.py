"""``saas-export resync --by-ids`` (docs/resync-options.md): only the given products are sent,
whatever their hash; ids that match nothing are listed on one line.

These run the CLI on the embedded default (SQLite catalog and feed DB, ``file://`` target).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from exporters.runs import RunStore
from exporters.runs.options import ConflictingOptions
from exporters.runs.tables import run_entities
from exporters.source import schema as s
from tasks.dispatch import start
from tests.support.cli import saas_export
from tests.support.cluster import run_id_of
from tests.support.items import exported
from tests.tasks.test_resync_options import catalog


def skus(source: Engine) -> dict[str, int]:
    """Every product's sku -> entity id."""
    t = s.catalog_product_entity
    with source.connect() as conn:
        return {str(sku): int(eid) for eid, sku in conn.execute(select(t.c.entity_id, t.c.sku))}


def sent_skus(cwd: Path, stdout: str, feed: str = "products") -> list[str]:
    """The distinct skus the run printed in ``stdout`` sent to the file target, sorted."""
    return sorted({item["sku"] for item in exported(cwd / "var" / "export", feed, run_id=run_id_of(stdout))})


def test_by_ids_sends_exactly_the_given_skus_even_unchanged_and_lists_the_unknown(tmp_path: Path) -> None:
    # Given a catalog resynced once (every item accepted, nothing changed since)
    source, _ = catalog(tmp_path)
    assert saas_export(tmp_path, "resync", "--feed", "products", "--batch-size", "10").returncode == 0
    known = sorted(skus(source))[:3]
    # When two known skus, one far apart from them, and two unknown ones are resynced by id
    wanted = [known[0], known[2], "NOPE-1", "NOPE-2"]
    result = saas_export(tmp_path, "resync", "--feed", "products", "--by-ids", ",".join(wanted))
    # Then exactly those products' items are sent, and the unknown ones are named on one line
    assert result.returncode == 0, result.stderr
    assert sent_skus(tmp_path, result.stdout) == [known[0], known[2]]
    assert result.stderr == "not found: 2 sku(s) match no product: NOPE-1, NOPE-2\n"


def test_by_ids_takes_product_ids_and_a_file(tmp_path: Path) -> None:
    # Given a catalog resynced once
    source, _ = catalog(tmp_path)
    assert saas_export(tmp_path, "resync", "--feed", "products").returncode == 0
    by_sku = skus(source)
    by_id = {eid: sku for sku, eid in by_sku.items()}
    ids = sorted(by_id)[5:7]
    # When product ids are given (one unknown), and skus from a file with blank lines and commas
    result = saas_export(
        tmp_path, "resync", "--feed", "prices", "--by-ids", f"{ids[0]},{ids[1]},999999", "--id-type", "productId"
    )
    listed = tmp_path / "skus.txt"
    listed.write_text(f"\n{by_id[ids[0]]}\n\n{by_id[ids[1]]}, ZZZ-UNKNOWN\n")
    from_file = saas_export(tmp_path, "resync", "--feed", "products", "--by-ids", f"@{listed}")
    # Then each run sent only those products and named the unknown one
    assert (result.returncode, from_file.returncode) == (0, 0), result.stderr + from_file.stderr
    assert sent_skus(tmp_path, result.stdout, "prices") == sorted(by_id[i] for i in ids)
    assert result.stderr == "not found: 1 productId(s) match no product: 999999\n"
    assert sent_skus(tmp_path, from_file.stdout) == sorted(by_id[i] for i in ids)
    assert from_file.stderr == "not found: 1 sku(s) match no product: ZZZ-UNKNOWN\n"


def test_by_ids_with_100000_ids_mostly_unknown_completes(tmp_path: Path) -> None:
    # Given a catalog resynced once, and a file of 100,000 skus of which 2 exist
    source, feeds = catalog(tmp_path)
    assert saas_export(tmp_path, "resync", "--feed", "products").returncode == 0
    known = sorted(skus(source))[:2]
    listed = tmp_path / "skus.txt"
    listed.write_text("\n".join([*known, *(f"MISSING-{n:06d}" for n in range(99_998))]) + "\n")
    # When they are resynced by id
    result = saas_export(tmp_path, "resync", "--feed", "products", "--by-ids", f"@{listed}")
    # Then the two are sent and the 99,998 others counted, the first ten named
    assert result.returncode == 0, result.stderr
    assert sent_skus(tmp_path, result.stdout) == known
    first = ", ".join(f"MISSING-{n:06d}" for n in range(10))
    assert result.stderr == f"not found: 99998 sku(s) match no product: {first}, … (99988 more)\n"
    # and only the resolved ids were stored for the run's chunks
    run_id = run_id_of(result.stdout)
    with feeds.connect() as conn:
        stored = conn.execute(select(run_entities.c.source_entity_id).where(run_entities.c.run_id == run_id))
        assert sorted(int(v) for v in stored.scalars()) == sorted(skus(source)[k] for k in known)
    assert RunStore(feeds).run(run_id).options["by_ids"] == {"type": "sku", "requested": 100_000}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--feed", "products", "--by-ids", "A", "--cleanup-feed"],
            "--by-ids and --cleanup-feed conflict: --cleanup-feed empties the whole feed table, --by-ids sends "
            "only the given products; give one of them",
        ),
        (
            ["--feed", "products", "--id-type", "sku"],
            "--id-type needs --by-ids: it says what the --by-ids list holds; add --by-ids or drop --id-type",
        ),
        (
            ["--feed", "products", "--continue-resync", "--cleanup-feed"],
            "--continue-resync and --cleanup-feed conflict: --cleanup-feed empties the feed table the interrupted "
            "run was filling; give one of them",
        ),
        (
            ["--feed", "products", "--continue-resync", "--by-ids", "A"],
            "--continue-resync and --by-ids conflict: --continue-resync resumes the interrupted run with its own "
            "options; give one of them",
        ),
        (
            ["--feed", "orders", "--by-ids", "A"],
            "--by-ids does not apply to orders: it is not keyed by product; use it with products, prices, "
            "variants, inventoryStockStatus or productOverrides",
        ),
        (
            ["--feed", "products", "--by-ids", "A,,B"],
            "--by-ids has an empty entry: separate ids by single commas or by lines, e.g. --by-ids SKU-1,SKU-2",
        ),
        (
            ["--feed", "variants", "--by-ids", "12,x3", "--id-type", "productId"],
            "--by-ids with --id-type productId takes positive integers, not 'x3': give product ids, or use "
            "--id-type sku for skus",
        ),
        (
            ["--feed", "products", "--by-ids", "@/nonexistent/skus.txt"],
            "--by-ids cannot read /nonexistent/skus.txt: No such file or directory; give a readable file of ids, "
            "one per line or comma-separated",
        ),
    ],
)
def test_bad_by_ids_and_continue_input_exits_2_before_anything_runs(
    tmp_path: Path, args: list[str], message: str
) -> None:
    # Given no catalog and no feed DB at all; when a resync is given bad --by-ids/--continue-resync input
    result = saas_export(tmp_path, "resync", *args)
    # Then it is one sentence saying which and why, exit 2, and nothing was touched
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert not (tmp_path / "var").exists()


def test_the_celery_task_refuses_by_ids_on_a_feed_not_keyed_by_product() -> None:
    with pytest.raises(ConflictingOptions) as refused:
        start("categories", by_ids="1,2", id_type="productId")
    assert str(refused.value) == (
        "--by-ids does not apply to categories: it is not keyed by product; use it with products, prices, "
        "variants, inventoryStockStatus or productOverrides"
    )
