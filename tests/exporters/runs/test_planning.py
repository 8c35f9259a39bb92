"""Keyset planning: counted ids per chunk, the whole id line covered."""

from __future__ import annotations

from sqlalchemy import insert

from exporters.db import create_db_engine
from exporters.runs import MAX_ID, plan_ranges
from exporters.sample_data import create_schema
from exporters.source import schema as s
from tests.support.catalog import CREATED


def catalog_with_ids(url: str, ids: list[int]):
    """An engine on Magento tables holding products with exactly ``ids``."""
    engine = create_db_engine(url)
    create_schema(engine)
    with engine.begin() as conn:
        if ids:
            conn.execute(
                insert(s.catalog_product_entity),
                [{"entity_id": i, "sku": f"s{i}", "created_at": CREATED, "updated_at": CREATED} for i in ids],
            )
    return engine


def test_sparse_ids_make_even_chunks_that_tile_the_id_line(source_url: str) -> None:
    # Given ten products with very sparse ids
    ids = [3, 4, 90, 91, 500, 1_000, 1_001, 70_000, 70_001, 9_000_000]
    engine = catalog_with_ids(source_url, ids)
    # When they are planned in chunks of three ids
    with engine.connect() as conn:
        ranges = list(plan_ranges(conn, s.catalog_product_entity.c.entity_id, 3))
    # Then each chunk holds three ids (the last one the rest) and the ranges cover 0..MAX_ID
    assert ranges == [(0, 90), (91, 1_000), (1_001, 70_001), (70_002, MAX_ID)]
    assert [sum(lo <= i <= hi for i in ids) for lo, hi in ranges] == [3, 3, 3, 1]


def test_an_exact_multiple_ends_with_a_full_chunk_to_max(make_db) -> None:
    # Given four products
    engine = catalog_with_ids(make_db("sqlite"), [1, 2, 3, 4])
    # When they are planned in chunks of two, then of ten, then the last chunk ends at MAX_ID
    with engine.connect() as conn:
        assert list(plan_ranges(conn, s.catalog_product_entity.c.entity_id, 2)) == [(0, 2), (3, MAX_ID)]
        assert list(plan_ranges(conn, s.catalog_product_entity.c.entity_id, 10)) == [(0, MAX_ID)]


def test_an_empty_source_plans_no_chunk(make_db) -> None:
    # Given no product; when they are planned, then there is no chunk
    engine = catalog_with_ids(make_db("sqlite"), [])
    with engine.connect() as conn:
        assert list(plan_ranges(conn, s.catalog_product_entity.c.entity_id, 5)) == []
