"""The first resync after an upgrade that reshapes a feed is an ordinary one (README, "Upgrade notes")."""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import create_engine, text

from exporters.sample_data import generate
from tests.support.cli import saas_export
from tests.support.items import exported


def test_category_permissions_of_the_flat_shape_are_deleted_by_one_ordinary_resync(tmp_path: Path) -> None:
    # Given an Adobe Commerce catalog whose categoryPermissions were exported by the release before
    # Adobe's shape: flat rows (categoryId, websiteCode, customerGroupCode) at feed-table revision 0014
    source, feeds, out = tmp_path / "catalog.sqlite", tmp_path / "feeds.sqlite", tmp_path / "out"
    env = {
        "SAAS_EXPORT_SOURCE_DB": f"sqlite:///{source}",
        "SAAS_EXPORT_FEED_DB": f"sqlite:///{feeds}",
        "SAAS_EXPORT_TARGET": f"file://{out}",
    }
    generate(f"sqlite:///{source}", "small", products=300, seed=0, edition="commerce")
    assert saas_export(tmp_path, "resync", "--feed", "categoryPermissions", **env).returncode == 0
    engine = create_engine(f"sqlite:///{feeds}")
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT feed_id, feed_data FROM cde_category_permissions_feed")).all()
        for n, (feed_id, data) in enumerate(rows):
            scope = orjson.loads(data)["id"]
            flat = {key: scope[key] for key in ("categoryId", "websiteCode", "customerGroupCode")}
            conn.execute(
                text("UPDATE cde_category_permissions_feed SET feed_id = :new, feed_data = :data WHERE feed_id = :old"),
                {"new": f"flat-{n:03d}", "data": orjson.dumps(flat).decode(), "old": feed_id},
            )
        conn.execute(text("UPDATE alembic_version SET version_num = '0014'"))
    # When this release resyncs the feed (upgrading the feed tables first, as resync does)
    result = saas_export(tmp_path, "resync", "--feed", "categoryPermissions", **env)
    # Then it succeeds without --allow-mass-delete: every item is sent in Adobe's shape, and each
    # flat row's delete is sent once, as the old flat identity the target knows
    assert result.returncode == 0, result.stderr
    with engine.connect() as conn:
        kept = conn.execute(
            text("SELECT feed_id, is_deleted, status FROM cde_category_permissions_feed ORDER BY feed_id")
        ).all()
    engine.dispose()
    assert len(rows) > 10  # more than the mass-delete guard lets go by default
    assert [tuple(row) for row in kept if row[0].startswith("flat-")] == [
        (f"flat-{n:03d}", 1, 200) for n in range(len(rows))
    ]
    assert sorted(row[1:] for row in kept if not row[0].startswith("flat-")) == [(0, 200)] * len(rows)
    sent = exported(out, "categoryPermissions")
    deletes = [item for item in sent if item.get("deleted") is True]
    assert sorted(item["categoryId"] for item in deletes) == sorted(
        orjson.loads(r[1])["id"]["categoryId"] for r in rows
    )
