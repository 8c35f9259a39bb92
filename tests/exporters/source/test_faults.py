"""Source faults sorted: a missing table or column is terminal and named, a server gone is transient."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, select, text

from exporters.db import is_transient, missing_object
from exporters.exceptions import TerminalError, TransientError
from exporters.feeds import PRODUCTS
from exporters.sample_data import generate
from exporters.source import MagentoSource, SourceSchemaMismatch, SourceUnavailable
from exporters.source import schema as s

MEDIA_LINK = "catalog_product_entity_media_gallery_value_to_entity"


@pytest.fixture
def catalog(source_url: str) -> str:
    generate(source_url, "small", products=30, seed=2)
    return source_url


def drop(url: str, table: str) -> None:
    engine: Engine = create_engine(MagentoSource(url).engine.url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {table}"))
    engine.dispose()


def test_a_feed_whose_table_is_missing_is_refused_up_front_naming_it(catalog: str) -> None:
    # Given a catalog without the media gallery's link table
    drop(catalog, MEDIA_LINK)
    # When the products feed's tables are checked, then the missing one is named with its module
    with pytest.raises(SourceSchemaMismatch) as raised:
        MagentoSource(catalog).check(PRODUCTS.reads)
    assert isinstance(raised.value, TerminalError)
    assert str(raised.value).startswith(
        f"the Magento database at {MagentoSource(catalog).url} has no table {MEDIA_LINK} (Magento_Catalog, "
        "Magento 2.4). Point SAAS_EXPORT_SOURCE_DB at a complete Magento 2.4 database"
    )


def test_a_table_missing_while_building_is_terminal_not_a_retry(catalog: str) -> None:
    # Given a catalog whose link table disappears after the check
    source = MagentoSource(catalog)
    drop(catalog, MEDIA_LINK)
    # When a range is built, then the error names the table and is terminal (no retry can help)
    with pytest.raises(SourceSchemaMismatch) as raised:
        PRODUCTS.builder(source, 0, 1_000, {})
    assert f"has no table {MEDIA_LINK} (Magento_Catalog, Magento 2.4)" in str(raised.value)
    assert not isinstance(raised.value, TransientError)


def test_a_missing_column_is_named_too(catalog: str) -> None:
    source = MagentoSource(catalog)
    with pytest.raises(SourceSchemaMismatch) as raised, source.connect() as conn:
        conn.execute(select(s.catalog_product_entity.c.entity_id, text("no_such_column")).select_from(
            s.catalog_product_entity))  # fmt: skip
    assert "has no column no_such_column" in str(raised.value)


def test_a_server_that_is_gone_is_transient(make_db: object) -> None:
    source = MagentoSource("postgresql://shop:pw@127.0.0.1:1/magento")
    with pytest.raises(SourceUnavailable) as raised, source.connect():
        pass
    assert isinstance(raised.value, TransientError)
    assert is_transient(raised.value.__cause__)  # type: ignore[arg-type]
    assert missing_object(raised.value.__cause__) is None  # type: ignore[arg-type]
