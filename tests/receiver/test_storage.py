"""The receiver's storage on every database kind it supports (the upsert is written per dialect)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from receiver.intake import Receipt
from receiver.storage import Storage


@pytest.fixture
def storage(make_db: Callable[[str], str], db_kind: str) -> Iterator[Storage]:
    storage = Storage(make_db(db_kind))
    yield storage
    storage.close()


def receipt(code: str, payload: str | None) -> Receipt:
    return Receipt(feed_id=f"id-{code}", sort_key=code, payload=payload)


def test_receipts_add_up_and_the_last_item_wins(storage: Storage) -> None:
    # Given a batch holding one identity twice, then a batch changing one item and tombstoning another
    storage.receive(
        "ds", "scopesWebsite", [receipt("b", '{"v": 1}'), receipt("a", '{"v": 2}'), receipt("b", '{"v": 3}')]
    )
    storage.receive("ds", "scopesWebsite", [receipt("a", '{"v": 4}'), receipt("b", None)])
    storage.receive("other", "scopesWebsite", [receipt("a", '{"v": 5}')])
    # Then the items held are the latest, receipts count every one, and batches are counted per data space
    assert storage.items("ds", "scopesWebsite", 0, 10) == ([{"v": 4}], 1)
    assert storage.receipts("ds", "scopesWebsite") == ({"id-a": 2, "id-b": 3}, 2)
    assert storage.feeds("ds") == {"scopesWebsite": 1}
    # When the data space is deleted
    # Then it held one item, and only the other data space is left
    assert storage.delete("ds") == 1
    assert storage.receipts("ds", "scopesWebsite") == ({}, 0)
    assert storage.items("other", "scopesWebsite", 0, 10) == ([{"v": 5}], 1)


def test_items_are_paged_in_sort_key_order(storage: Storage) -> None:
    storage.receive("ds", "f", [receipt(code, f'{{"code": "{code}"}}') for code in ("c", "a", "e", "b", "d")])
    assert storage.items("ds", "f", 1, 3) == ([{"code": "b"}, {"code": "c"}, {"code": "d"}], 5)
    assert storage.items("ds", "f", 0, 0) == ([], 5)
