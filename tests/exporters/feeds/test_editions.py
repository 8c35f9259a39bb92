"""Adobe Commerce (staged) and Open Source databases holding the same catalog yield the same feeds.

The Commerce catalog keeps every product and category by ``row_id`` versions, with an ended and
a scheduled update on some of them whose rows differ from the live ones, so the items only agree
when every builder reads the live version and joins on the link field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from exporters.db import create_db_engine
from exporters.feeds import FEEDS, FeedSpec
from exporters.runs import MAX_ID
from exporters.sample_data import generate
from exporters.source import MagentoSource
from exporters.source import schema as s

#: Item fields stamped with the build time rather than read from the catalog.
BUILD_TIME_FIELDS = {"modifiedAt"}
BUILT_AT = {"inventoryStockStatus": {"updatedAt"}, "prices": {"updatedAt"}}


def _items(spec: FeedSpec, source: MagentoSource) -> list[str]:
    result = spec.builder(source, 0, MAX_ID)
    assert result.failures == []
    volatile = BUILD_TIME_FIELDS | BUILT_AT.get(spec.name, set())
    return sorted(repr({k: v for k, v in item.items() if k not in volatile}) for item in result.items)


def _copy_permissions(commerce_url: str, opensource_url: str) -> None:
    """Give the Open Source copy the Commerce permission rows, so the two Commerce-only feeds compare too."""
    table = s.magento_catalogpermissions
    source, target = create_db_engine(commerce_url), create_db_engine(opensource_url)
    try:
        with source.connect() as conn:
            rows = [dict(row._mapping) for row in conn.execute(select(table))]
        table.create(target)
        with target.begin() as conn:
            conn.execute(insert(table), rows)
    finally:
        source.dispose()
        target.dispose()


@pytest.fixture
def both_editions(make_db: Callable[[str], str], db_kind: str) -> tuple[MagentoSource, MagentoSource]:
    opensource, commerce = make_db(db_kind), make_db(db_kind)
    for url, edition in ((opensource, "opensource"), (commerce, "commerce")):
        generate(url, "small", products=300, seed=4, edition=edition, websites=2)
    _copy_permissions(commerce, opensource)
    return MagentoSource(opensource), MagentoSource(commerce)


def test_every_feed_has_identical_items_in_both_editions(both_editions: tuple[MagentoSource, MagentoSource]) -> None:
    # Given the same sample catalog written as Open Source and as Adobe Commerce
    opensource, commerce = both_editions
    assert (opensource.edition.name, commerce.edition.name) == ("opensource", "commerce")
    # and the Commerce copy really holds versions that are not live, on products and categories
    with commerce.connect() as conn:
        for entity in (s.catalog_product_entity, s.catalog_category_entity):
            versions, entities = conn.execute(select(func.count(), func.count(entity.c.entity_id.distinct()))).one()
            assert versions > entities
    # When every feed is built over the whole id range of each
    for spec in FEEDS.values():
        expected: Any = _items(spec, opensource)
        # Then the items are the same, one for one
        assert expected, spec.name
        assert _items(spec, commerce) == expected, spec.name
