"""The receiver's storage on every database kind it supports (the upsert is written per dialect)."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import orjson
import pytest
from sqlalchemy import create_engine, select, text

from receiver.exceptions import ReceiverError
from receiver.intake import Receipt
from receiver.storage import Storage, batches_table


@pytest.fixture
def storage(make_db: Callable[[str], str], db_kind: str) -> Iterator[Storage]:
    storage = Storage(make_db(db_kind))
    yield storage
    storage.close()


def batch(*items: tuple[str, Mapping[str, object] | None]) -> tuple[list[Receipt], bytes, str]:
    """A batch body of ``items`` (code, item; None: a tombstone), gzipped, and its receipts."""
    body = [item if item is not None else {"code": code, "deleted": True} for code, item in items]
    receipts = [Receipt(f"id-{code}", code, None if item is None else n) for n, (code, item) in enumerate(items)]
    return receipts, gzip.compress(orjson.dumps(body)), "gzip"


def test_receipts_add_up_and_the_last_item_wins(storage: Storage) -> None:
    # Given a batch holding one identity twice, then a batch changing one item and tombstoning another
    storage.receive("ds", "scopesWebsite", *batch(("b", {"v": 1}), ("a", {"v": 2}), ("b", {"v": 3})))
    storage.receive("ds", "scopesWebsite", *batch(("a", {"v": 4}), ("b", None)))
    storage.receive("other", "scopesWebsite", *batch(("a", {"v": 5})))
    # Then the items held are the latest, receipts count every one, and batches are counted per data space
    assert storage.items("ds", "scopesWebsite", 0, 10) == ([{"v": 4}], 1)
    assert storage.receipts("ds", "scopesWebsite") == ({"id-a": 2, "id-b": 3}, 2)
    assert storage.feeds("ds") == {"scopesWebsite": 1}
    # When the data space is deleted
    # Then it held one item, and only the other data space is left, its batch body with it
    assert storage.delete("ds") == 1
    assert storage.receipts("ds", "scopesWebsite") == ({}, 0)
    assert storage.items("other", "scopesWebsite", 0, 10) == ([{"v": 5}], 1)
    with storage.engine.connect() as conn:
        assert conn.execute(select(batches_table.c.data_space)).scalars().all() == ["other"]


def test_items_are_paged_in_sort_key_order_across_batches(storage: Storage) -> None:
    # Given five items in two batches, one sent uncompressed
    storage.receive("ds", "f", *batch(*((code, {"code": code}) for code in ("c", "a", "e"))))
    receipts, _, _ = batch(("b", {"code": "b"}), ("d", {"code": "d"}))
    storage.receive("ds", "f", receipts, orjson.dumps([{"code": "b"}, {"code": "d"}]), "identity")
    # Then pages list them in identity order, each as it was sent
    assert storage.items("ds", "f", 1, 3) == ([{"code": "b"}, {"code": "c"}, {"code": "d"}], 5)
    assert storage.items("ds", "f", 0, 0) == ([], 5)


def test_a_database_of_an_earlier_receiver_is_refused_with_the_fix(tmp_path: Path) -> None:
    # Given a receiver database whose items table keeps an item per row (the earlier layout)
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE receiver_item (data_space TEXT, feed TEXT, feed_id TEXT, item TEXT)"))
    engine.dispose()
    # When the receiver opens it, then it says what is wrong and what to do
    with pytest.raises(ReceiverError) as refused:
        Storage(url)
    assert str(refused.value) == (
        f"the receiver database {url} was made by an earlier receiver (items stored one per row): "
        "delete it, or give --db a new one"
    )
