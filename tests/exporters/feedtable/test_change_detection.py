"""Change detection through the feed table, on each database kind."""

from __future__ import annotations

from collections.abc import Callable

import orjson
import pytest
from sqlalchemy import insert, select, update

from exporters.feeds import PRODUCTS, FeedSpec
from exporters.feedtable import ChangeSet, FeedStore, feed_id, feed_table
from exporters.model import SendResult, Status
from exporters.runs import collect
from exporters.source import MagentoSource
from exporters.source import schema as s
from tests.support.catalog import Catalog
from tests.support.feeds import new_feed_store
from tests.support.hand_catalog import build_hand_catalog
from tests.support.items import without


@pytest.fixture
def catalog(source_url: str) -> Catalog:
    """A and B at "default" and "fr", in a database of each kind."""
    catalog = Catalog(source_url)
    catalog.add_store_view("fr", "base")
    catalog.add_product("A", entity_id=5, values={"name": {"admin": "Alpha", "fr": "Alpha FR"}})
    catalog.add_product("B", entity_id=9, values={"name": {"admin": "Beta"}})
    return catalog


@pytest.fixture
def store(make_db: Callable[[str], str], db_kind: str) -> FeedStore[FeedSpec]:
    """The products feed table in a fresh feed database of the same kind as the source."""
    return new_feed_store(make_db(db_kind), PRODUCTS)


def collect_range(catalog: Catalog, store: FeedStore[FeedSpec]) -> ChangeSet:
    """Build products 1 to 100 of ``catalog`` (read afresh) and diff them against ``store``."""
    return collect(MagentoSource(catalog.url), store, 1, 100)


def sent(changes) -> list[tuple[str, str, bool]]:
    return sorted((p.item["sku"], p.item["storeViewCode"], p.item["deleted"]) for p in changes.to_send)


def accept_all(store: FeedStore[FeedSpec], changes: ChangeSet) -> None:
    store.record([SendResult(p.feed_id, int(Status.ACCEPTED)) for p in changes.to_send])


def test_first_build_sends_everything_and_the_second_nothing(catalog: Catalog, store: FeedStore[FeedSpec]) -> None:
    # Given A and B and an empty feed table
    source = MagentoSource(catalog.url)
    # When the range is built for the first time
    first = collect(source, store, 1, 100)
    # Then every item is new and sent
    assert sent(first) == [
        ("A", "default", False),
        ("A", "fr", False),
        ("B", "default", False),
        ("B", "fr", False),
    ]
    assert (first.built, first.new, first.changed, first.unchanged, first.tombstones) == (4, 4, 0, 0, 0)
    accept_all(store, first)
    # When it is built again with nothing changed
    second = collect(source, store, 1, 100)
    # Then nothing is sent
    assert second.to_send == []
    assert (second.built, second.unchanged) == (4, 4)
    assert store.counts_by_status() == {200: 4}


def test_one_changed_store_level_name_sends_exactly_that_item(catalog: Catalog, store: FeedStore[FeedSpec]) -> None:
    accept_all(store, collect_range(catalog, store))
    # Given the French name of A changes
    catalog.set_value(5, "name", "fr", "Alpha nouveau")
    # When the range is built again
    changes = collect_range(catalog, store)
    # Then only A/fr is sent, with the new name
    assert sent(changes) == [("A", "fr", False)]
    assert changes.to_send[0].item["name"] == "Alpha nouveau"
    assert (changes.changed, changes.unchanged) == (1, 3)


def test_a_deleted_product_yields_its_tombstones_once(catalog: Catalog, store: FeedStore[FeedSpec]) -> None:
    accept_all(store, collect_range(catalog, store))
    # Given product B is deleted from the source
    catalog.delete_product(9)
    # When the range is built
    changes = collect_range(catalog, store)
    # Then B's two items are sent as tombstones built from the minimal payload
    assert sent(changes) == [("B", "default", True), ("B", "fr", True)]
    tombstone = next(p.item for p in changes.to_send if p.item["storeViewCode"] == "fr")
    assert without(tombstone, "modifiedAt") == {
        "productId": 9,
        "sku": "B",
        "storeViewCode": "fr",
        "storeCode": "main_website_store",
        "websiteCode": "base",
        "deleted": True,
    }
    assert changes.tombstones == 2
    accept_all(store, changes)
    # And once accepted they are never sent again
    again = collect_range(catalog, store)
    assert again.to_send == []
    assert again.tombstones == 0


def test_a_tombstone_that_failed_to_send_is_sent_again(catalog: Catalog, store: FeedStore[FeedSpec]) -> None:
    # Given B's tombstones, after B was deleted, answered with a retryable error
    accept_all(store, collect_range(catalog, store))
    catalog.delete_product(9)
    changes = collect_range(catalog, store)
    store.record([SendResult(p.feed_id, int(Status.RETRYABLE), "HTTP 503") for p in changes.to_send])
    # When the range is built again
    again = collect_range(catalog, store)
    # Then they are sent again
    assert sent(again) == [("B", "default", True), ("B", "fr", True)]


def test_retryable_items_are_resent_and_rejected_ones_are_not(catalog: Catalog, store: FeedStore[FeedSpec]) -> None:
    # Given the four items answered: retryable, rejected, item rejected, accepted
    first = collect_range(catalog, store)
    by_key = {(p.item["sku"], p.item["storeViewCode"]): p.feed_id for p in first.to_send}
    store.record(
        [
            SendResult(by_key[("A", "default")], int(Status.RETRYABLE), "HTTP 429"),
            SendResult(by_key[("A", "fr")], int(Status.REJECTED), "bad item"),
            SendResult(by_key[("B", "default")], int(Status.ITEM_REJECTED), "invalid field"),
            SendResult(by_key[("B", "fr")], int(Status.ACCEPTED)),
        ]
    )
    # When the range is built again
    again = collect_range(catalog, store)
    # Then only the retryable one is sent, and the errors are kept on their rows
    assert sent(again) == [("A", "default", False)]
    assert (again.retried, again.unchanged) == (1, 3)
    with store.engine.connect() as conn:
        errors = dict(conn.execute(select(store.table.c.feed_id, store.table.c.errors)).all())
    assert errors[by_key[("A", "fr")]] == "bad item"
    assert errors[by_key[("B", "fr")]] is None


def test_a_product_row_that_breaks_the_schema_fails_only_its_items(
    catalog: Catalog, store: FeedStore[FeedSpec]
) -> None:
    # Given a product whose status row holds 7 (neither enabled nor disabled) and one without sku
    catalog.add_product("BROKEN", entity_id=7, values={"status": {"admin": 7}})
    catalog.add_product(None, entity_id=8)
    # When the range is built
    changes = collect_range(catalog, store)
    # Then A and B go on, the broken items are failures with their reasons
    assert sent(changes) == [
        ("A", "default", False),
        ("A", "fr", False),
        ("B", "default", False),
        ("B", "fr", False),
    ]
    failures = sorted((f.source_id, str((f.identity or {}).get("storeViewCode")), f.error) for f in changes.failures)
    assert [(f[0], f[1]) for f in failures] == [(7, "default"), (7, "fr"), (8, "default"), (8, "fr")]
    assert failures[0][2] == 'schema violation: data.status: "7" is not one of "Enabled" or "Disabled"'
    assert failures[2][2] == "product 8 has no sku; it cannot be identified in the feed"
    # and the identifiable failures are feed rows with status 2 and the error, retried next time
    with store.engine.connect() as conn:
        row = conn.execute(
            select(store.table.c.status, store.table.c.errors, store.table.c.feed_hash).where(
                store.table.c.feed_id == feed_id({"sku": "BROKEN", "storeViewCode": "fr"}, PRODUCTS.identity)
            )
        ).one()
    assert (row.status, row.feed_hash) == (2, None)
    assert row.errors == 'schema violation: data.status: "7" is not one of "Enabled" or "Disabled"'


def test_only_the_minimal_payload_is_stored_unless_asked(catalog: Catalog, make_db, db_kind) -> None:
    for persist, expected_keys in (
        (False, ["modifiedAt", "productId", "sku", "storeCode", "storeViewCode", "websiteCode"]),
        (True, None),
    ):
        # Given a feed table keeping the full payload or not; when the range is collected into it
        store = new_feed_store(make_db(db_kind), PRODUCTS, persist_full_payload=persist)
        collect_range(catalog, store)
        # Then its rows hold the whole item when asked, else the minimal payload only
        with store.engine.connect() as conn:
            data = orjson.loads(conn.execute(select(feed_table(PRODUCTS.table).c.feed_data).limit(1)).scalar_one())
        if expected_keys is None:
            assert "attributes" in data and "name" in data
        else:
            assert sorted(data) == expected_keys


@pytest.mark.mariadb
@pytest.mark.postgres
def test_feed_hashes_are_identical_across_the_three_databases(make_db) -> None:
    # Given the same hand-built catalog in SQLite, MariaDB and PostgreSQL
    hashes = {}
    for kind in ("sqlite", "mariadb", "postgres"):
        catalog = build_hand_catalog(Catalog(make_db(kind), websites=2)).catalog
        # When each is collected into a feed table of its own
        store = new_feed_store(make_db("sqlite"), PRODUCTS)
        collect(MagentoSource(catalog.url), store, 1, 10_000)
        with store.engine.connect() as conn:
            t = feed_table(PRODUCTS.table)
            hashes[kind] = dict(conn.execute(select(t.c.feed_id, t.c.feed_hash)).all())
    # Then every item has the same feed_id and feed_hash everywhere
    assert len(hashes["sqlite"]) == 17
    assert hashes["sqlite"] == hashes["mariadb"] == hashes["postgres"]


def test_an_unchanged_rerun_does_not_assemble_settled_products(catalog: Catalog, store: FeedStore[FeedSpec]) -> None:
    accept_all(store, collect_range(catalog, store))
    # When nothing changed in the source
    again = collect_range(catalog, store)
    # Then both products are skipped before assembly, and their items count as unchanged
    assert (again.skipped_entities, again.unchanged, again.built, again.to_send) == (2, 4, 4, [])


def test_a_change_outside_the_product_rows_still_rebuilds_it(catalog: Catalog, store: FeedStore[FeedSpec]) -> None:
    # Given a product in a category whose url path is then changed (no product row changes)
    catalog.add_category(10, "1/2", {"admin": "gear"})
    catalog.add_product("C", entity_id=12, values={"name": {"admin": "Gamma"}}, categories={10: 1})
    accept_all(store, collect_range(catalog, store))
    with catalog.engine.begin() as conn:
        table = s.category_values["varchar"]
        conn.execute(update(table).where(table.c.entity_id == 10).values(value="equipment"))
    # When the range is collected again
    changes = collect_range(catalog, store)
    # Then C is assembled again and its two items are sent with the new path; A and B are skipped
    assert sent(changes) == [("C", "default", False), ("C", "fr", False)]
    assert changes.to_send[0].item["categoryData"][0]["categoryPath"] == "equipment"
    assert changes.skipped_entities == 2


def test_a_changed_option_label_rebuilds_every_product(catalog: Catalog, store: FeedStore[FeedSpec]) -> None:
    # Given D with option "Red" of "hue", everything accepted, and then the label renamed "Crimson"
    _, (red,) = catalog.add_attribute("hue", options=[{"admin": "Red"}])
    catalog.add_product("D", entity_id=14, values={"hue": {"admin": red}})
    accept_all(store, collect_range(catalog, store))
    with catalog.engine.begin() as conn:
        conn.execute(update(s.eav_attribute_option_value).values(value="Crimson"))
    # When the range is built again
    changes = collect_range(catalog, store)
    # Then no product is skipped, and D's items are sent with the new label
    assert changes.skipped_entities == 0
    assert sent(changes) == [("D", "default", False), ("D", "fr", False)]
    assert changes.to_send[0].item["attributes"] == [
        {"attributeCode": "hue", "value": ["Crimson"], "valueId": [str(red)]}
    ]


def test_a_source_change_that_leaves_items_equal_is_remembered(catalog: Catalog, store: FeedStore[FeedSpec]) -> None:
    accept_all(store, collect_range(catalog, store))
    # Given a stray store-view row of the global "weight" on A: read, but its items stay equal
    # (a global attribute takes store 0 only, and A has no weight there)
    weight, _ = catalog.attribute("weight")
    with catalog.engine.begin() as conn:
        conn.execute(
            insert(s.product_values["decimal"]).values(
                entity_id=5, attribute_id=weight, store_id=catalog.store_id("default"), value=9.9
            )
        )
    # When collected twice
    first = collect_range(catalog, store)
    second = collect_range(catalog, store)
    # Then A is assembled once (nothing to send) and skipped after that
    assert (first.skipped_entities, first.unchanged, first.to_send) == (1, 4, [])
    assert (second.skipped_entities, second.unchanged) == (2, 4)


def test_a_retryable_item_is_never_skipped(catalog: Catalog, store: FeedStore[FeedSpec]) -> None:
    # Given every item answered with a retryable error
    first = collect_range(catalog, store)
    store.record([SendResult(p.feed_id, int(Status.RETRYABLE), "HTTP 503") for p in first.to_send])
    # When the range is built again with nothing changed
    again = collect_range(catalog, store)
    # Then no product is skipped and every item is sent again
    assert again.skipped_entities == 0
    assert len(again.to_send) == 4
