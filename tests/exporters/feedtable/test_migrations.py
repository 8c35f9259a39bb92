"""The migrations, run on an empty database, create exactly the live model.

Each revision spells out its own columns (it is frozen), so nothing ties the model to the
migrations but this: a model change without a migration, or a migration that drifts from the
model, fails here on the database kind where it differs. (One blind spot: on SQLite, Alembic
does not report an unnamed unique constraint the model no longer has; MariaDB and PostgreSQL do.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, MetaData, inspect, text
from sqlalchemy.types import TypeEngine

from exporters.db import create_db_engine
from exporters.feeds import FEEDS
from exporters.feedtable import feed_table, upgrade
from exporters.runs.tables import runs_metadata

RUNS_TABLES = {"saas_run", "saas_chunk", "saas_feed_lock", "saas_chunk_claim", "saas_submit_watermark"}
RUNS_TABLES |= {"saas_run_entity"}  # --by-ids (migration 0017)


@pytest.fixture
def migrated(make_db: Callable[[str], str], db_kind: str) -> Iterator[Engine]:
    """An empty database of each kind brought to head by every migration, from 0001 on."""
    engine = create_db_engine(make_db(db_kind))
    upgrade(engine)
    yield engine
    engine.dispose()


def live_model() -> MetaData:
    """Every feed's table and the runs tables in one MetaData, the unit autogenerate compares."""
    metadata = MetaData()
    for spec in FEEDS.values():
        feed_table(spec.table).to_metadata(metadata)
    for table in runs_metadata.tables.values():
        table.to_metadata(metadata)
    return metadata


def fractional_seconds_differ(
    context: MigrationContext,
    inspected_column: Column[Any],
    metadata_column: Column[Any],
    inspected_type: TypeEngine[Any],
    metadata_type: TypeEngine[Any],
) -> bool | None:
    """Alembic's type comparison, plus the fractional seconds of MariaDB's DATETIME.

    Alembic ignores a type argument that only one side spells (so that MariaDB's display widths,
    smallint(6), are not reported), which also takes DATETIME for DATETIME(6); the runs tables
    need their microseconds. ``None`` lets Alembic's own comparison decide the rest.
    """
    declared = metadata_type.dialect_impl(context.dialect)
    return True if getattr(inspected_type, "fsp", None) != getattr(declared, "fsp", None) else None


def test_the_migrated_schema_is_the_live_model(migrated: Engine) -> None:
    # Given a database migrated to head, and the model the code reads and writes through
    model = live_model()
    # When autogenerate compares them, server defaults included (is_deleted, status and the
    # counts rely on theirs; Alembic leaves them out unless asked)
    with migrated.connect() as conn:
        options = {"compare_type": fractional_seconds_differ, "compare_server_default": True}
        context = MigrationContext.configure(conn, opts=options)
        differences = compare_metadata(context, model)
    # Then there is nothing a new migration would have to do
    assert differences == []


def test_the_migrations_create_every_feed_table_and_the_runs_tables(migrated: Engine) -> None:
    # Given a database migrated to head
    # When its tables are listed, Alembic's own bookkeeping aside
    tables = set(inspect(migrated).get_table_names()) - {"alembic_version"}
    # Then there is one per feed, named by its spec, and the runs tables: nothing more
    assert tables == {spec.table for spec in FEEDS.values()} | RUNS_TABLES


def test_rows_written_before_data_spaces_belong_to_the_configured_one(
    make_db: Callable[[str], str], db_kind: str
) -> None:
    # Given a feed database at revision 0013 holding one products row
    engine = create_db_engine(make_db(db_kind))
    upgrade(engine, "0013")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cde_products_feed (source_entity_id, feed_id, modified_at, is_deleted, status, feed_data)"
                " VALUES (1, 'f1', '2026-12-01 00:00:00', 0, 200, '{}')"
            )
        )
    # When it is upgraded while the data space "prod" is configured
    upgrade(engine, data_space="prod")
    # Then the row belongs to "prod", and another space may hold the same item
    with engine.begin() as conn:
        assert conn.execute(text("SELECT data_space, feed_id FROM cde_products_feed")).all() == [("prod", "f1")]
        conn.execute(
            text(
                "INSERT INTO cde_products_feed (source_entity_id, feed_id, data_space, modified_at, is_deleted, status,"
                " feed_data) VALUES (1, 'f1', 'staging', '2026-12-01 00:00:00', 0, 0, '{}')"
            )
        )
    engine.dispose()


def test_category_permission_rows_of_the_flat_shape_become_unsent_tombstones(
    make_db: Callable[[str], str], db_kind: str
) -> None:
    # Given a feed database at revision 0014 holding a live flat-shape row, a flat tombstone
    # already accepted, and a row of the nested shape
    engine = create_db_engine(make_db(db_kind))
    upgrade(engine, "0014")
    rows = [
        ("flat", 0, 200, '{"categoryId":"3","websiteCode":"base","customerGroupCode":"c4ca"}'),
        ("gone", 1, 200, '{"categoryId":"4","websiteCode":"base","customerGroupCode":"c4ca"}'),
        ("nested", 0, 200, '{"_permission_id":7,"id":{"websiteCode":"base","categoryId":"3"},"type":"STANDARD"}'),
    ]
    with engine.begin() as conn:
        for feed_id, deleted, status, data in rows:
            conn.execute(
                text(
                    "INSERT INTO cde_category_permissions_feed (source_entity_id, feed_id, modified_at, is_deleted,"
                    " status, feed_data) VALUES (1, :fid, '2026-12-01 00:00:00', :deleted, :status, :data)"
                ),
                {"fid": feed_id, "deleted": deleted, "status": status, "data": data},
            )
    # When it is upgraded
    upgrade(engine)
    # Then only the live flat row is a tombstone still to send; the others are as they were
    with engine.begin() as conn:
        found = conn.execute(
            text("SELECT feed_id, is_deleted, status FROM cde_category_permissions_feed ORDER BY feed_id")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in found] == [("flat", 1, 0), ("gone", 1, 200), ("nested", 0, 200)]
