"""The first resync after an upgrade that reshapes a feed is an ordinary one (README, "Upgrade notes")."""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import text

from exporters.db import create_db_engine
from exporters.feeds import CATEGORY_PERMISSIONS
from exporters.feedtable import upgrade
from exporters.sample_data import generate
from tests.support.cli import saas_export
from tests.support.feeds import build_feed
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
    scopes = [item["id"] for item in build_feed(CATEGORY_PERMISSIONS, f"sqlite:///{source}").items]
    engine = create_db_engine(f"sqlite:///{feeds}")
    upgrade(engine, "0014")
    with engine.begin() as conn:
        for n, scope in enumerate(scopes):
            flat = {key: scope[key] for key in ("categoryId", "websiteCode", "customerGroupCode")}
            conn.execute(
                text(
                    "INSERT INTO cde_category_permissions_feed (source_entity_id, feed_id, modified_at, is_deleted,"
                    " status, feed_data) VALUES (:sid, :fid, '2026-12-01 00:00:00', 0, 200, :data)"
                ),
                {"sid": n + 1, "fid": f"flat-{n:03d}", "data": orjson.dumps(flat).decode()},
            )
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
    assert len(scopes) > 10  # more than the mass-delete guard lets go by default
    assert [tuple(row) for row in kept if row[0].startswith("flat-")] == [
        (f"flat-{n:03d}", 1, 200) for n in range(len(scopes))
    ]
    assert sorted(row[1:] for row in kept if not row[0].startswith("flat-")) == [(0, 200)] * len(scopes)
    sent = exported(out, "categoryPermissions")
    deletes = [item for item in sent if item.get("deleted") is True]
    assert sorted(item["categoryId"] for item in deletes) == sorted(scope["categoryId"] for scope in scopes)
