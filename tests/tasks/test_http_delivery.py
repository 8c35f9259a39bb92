"""Delivery over HTTP to a real receiver process (``saas-export receiver``) on loopback.

The exporter runs as an operator runs it: the ``saas-export`` CLI in a fresh folder on the
embedded default, or a cluster of real workers; the receiver stores what it accepts, counts
every receipt, and can be told to fail, throttle or refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import create_engine, delete, select, update

from exporters.feeds import FEEDS, PRODUCTS, FeedSpec
from exporters.feedtable import feed_id, feed_table
from exporters.model import Item
from exporters.runs import RunStore
from exporters.source import MagentoSource
from exporters.source import schema as s
from exporters.targets.http import HttpConfig
from tests.support.cli import saas_export
from tests.support.cluster import Cluster, run_id_of
from tests.support.feeds import build_feed
from tests.support.items import without
from tests.support.receiver import Receiver

KEY = "k-5e3f2a9b"
STAMPS = ("modifiedAt", "updatedAt")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A fresh folder with a sample catalog of 300 products (seed 3) as the embedded source."""
    assert saas_export(tmp_path, "sample-data", "--products", "300", "--seed", "3").returncode == 0
    return tmp_path


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    with Receiver(tmp_path / "receiver", api_key=KEY) as running:
        yield running


def catalog_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'var' / 'catalog.sqlite'}"


def to(receiver: Receiver, **more: str) -> dict[str, str]:
    """The settings that send to ``receiver`` with its key."""
    return {"SAAS_EXPORT_TARGET": receiver.url, "SAAS_EXPORT_API_KEY": KEY, **more}


def by_identity(spec: FeedSpec, items: list[Item]) -> dict[str, Item]:
    """Items keyed by their feed id, without the fields stamped at build time."""
    return {feed_id(item, spec.identity): without(item, *STAMPS) for item in items}


def test_a_full_resync_of_every_feed_arrives_complete(folder: Path, receiver: Receiver) -> None:
    # When every feed is resynced to the receiver
    result = saas_export(folder, "resync", "--all", **to(receiver))
    # Then each feed the catalog has arrived whole: exactly the items its builder makes
    assert result.returncode == 0, result.stderr
    source = MagentoSource(catalog_url(folder))
    with receiver.client() as client:
        held = client.feeds()
        for spec in FEEDS.values():
            if spec.requires_table:  # the Adobe Commerce feeds skip an Open Source catalog
                assert spec.name not in held
                continue
            built = build_feed(spec, source).items
            assert by_identity(spec, client.items(spec.name)) == by_identity(spec, built), spec.name
            assert set(client.receipts(spec.name)["receipts"].values()) <= {1}, spec.name
        assert held["products"] == len(build_feed(PRODUCTS, source).items) > 0


def test_failures_and_throttling_still_deliver_every_item_exactly_once(folder: Path, tmp_path: Path) -> None:
    # Given a receiver failing 30% of the requests with a 500 and answering 429 above 10 a second
    faulty = Receiver(tmp_path / "faulty", ["--fail-share", "0.3", "--rate-limit", "10", "--seed", "7"], api_key=KEY)
    with faulty:
        # When the products feed is sent in batches of five on four lanes, each tried up to ten times
        settings = to(faulty, SAAS_EXPORT_HTTP_ATTEMPTS="10", SAAS_EXPORT_RETRY_BACKOFF_MAX="1",
                      SAAS_EXPORT_FEEDS__PRODUCTS__SEND_BATCH_SIZE="5")  # fmt: skip
        result = saas_export(folder, "resync", "--feed", "products", "--thread-count", "4", **settings)
        # Then every item was accepted, and received exactly once (no chunk was redelivered)
        assert result.returncode == 0, result.stderr
        expected = by_identity(PRODUCTS, build_feed(PRODUCTS, catalog_url(folder)).items)
        with faulty.client() as client:
            assert by_identity(PRODUCTS, client.items("products")) == expected
            receipts = client.receipts("products")["receipts"]
            assert (len(receipts), set(receipts.values())) == (len(expected), {1})
            # while the receiver did fail and throttle some of the requests
            posts = client.stats()["posts"]
            assert posts.get("500", 0) > 0 and posts.get("429", 0) > 0 and posts["200"] >= len(expected) // 5
    feed_rows = feed_statuses(folder, PRODUCTS)
    assert set(feed_rows.values()) == {200}


def feed_statuses(folder: Path, spec: FeedSpec) -> dict[str, int]:
    """feed id -> status of the feed's rows in the embedded feed database."""
    engine = create_engine(f"sqlite:///{folder / 'var' / 'feeds.sqlite'}")
    table = feed_table(spec.table)
    with engine.connect() as conn:
        rows = {row.feed_id: int(row.status) for row in conn.execute(select(table.c.feed_id, table.c.status))}
    engine.dispose()
    return rows


def test_one_bad_item_is_marked_alone_with_the_receivers_message(folder: Path, receiver: Receiver) -> None:
    # Given every product accepted, then two products removed from the catalog, one of whose stored
    # payload lost its sku (so its tombstone cannot be identified by the receiver)
    assert saas_export(folder, "resync", "--feed", "products", **to(receiver)).returncode == 0
    source = create_engine(catalog_url(folder))
    with source.begin() as conn:
        gone = (
            conn.execute(
                select(s.catalog_product_entity.c.entity_id).order_by(s.catalog_product_entity.c.entity_id).limit(2)
            )
            .scalars()
            .all()
        )
        conn.execute(delete(s.catalog_product_website).where(s.catalog_product_website.c.product_id.in_(gone)))
    source.dispose()
    feeds = create_engine(f"sqlite:///{folder / 'var' / 'feeds.sqlite'}")
    table = feed_table(PRODUCTS.table)
    with feeds.begin() as conn:
        broken = conn.execute(select(table.c.feed_id).where(table.c.source_entity_id == gone[0])).scalars().all()
        conn.execute(update(table).where(table.c.feed_id.in_(broken)).values(feed_data=f'{{"productId": {gone[0]}}}'))
    feeds.dispose()
    # When the feed is resynced
    result = saas_export(folder, "resync", "--feed", "products", **to(receiver))
    # Then the run is partial: the broken tombstones are marked 1 with the receiver's message,
    # every other tombstone of the batch accepted
    assert result.returncode == 1
    statuses = feed_statuses(folder, PRODUCTS)
    assert {statuses[fid] for fid in broken} == {1}
    engine = create_engine(f"sqlite:///{folder / 'var' / 'feeds.sqlite'}")
    with engine.connect() as conn:
        errors = conn.execute(select(table.c.errors).where(table.c.feed_id.in_(broken))).scalars().all()
        kept = conn.execute(select(table.c.status, table.c.is_deleted).where(table.c.source_entity_id == gone[1])).all()
    engine.dispose()
    assert errors and all(e.startswith("INVALID_ITEM: ") and "sku" in e for e in errors)
    assert kept and set(kept) == {(200, 1)}


def test_a_wrong_api_key_stops_the_run_with_one_line(folder: Path, receiver: Receiver) -> None:
    # When the products feed is sent with a key the receiver does not know
    result = saas_export(folder, "resync", "--feed", "products", **{**to(receiver), "SAAS_EXPORT_API_KEY": "wrong"})
    # Then the run stops (exit 1) with one line about the key, the key itself never shown
    assert result.returncode == 1
    refused = (
        f"the target {receiver.url} refused the API key (HTTP 401: the x-api-key is not accepted); check "
        "SAAS_EXPORT_API_KEY (and SAAS_EXPORT_PRIVATE_KEY_FILE when the target checks signatures). The run stopped."
    )
    assert result.stderr.splitlines()[-2:] == [
        refused,
        f"run {run_id_of(result.stderr)} failed: see `saas-export runs show {run_id_of(result.stderr)}`",
    ]
    assert "wrong" not in result.stderr
    # and nothing was stored, after at most the requests one chunk had in flight (no retry storm)
    with receiver.client() as client:
        assert client.feeds() == {}
        assert 1 <= client.stats()["posts"]["401"] <= HttpConfig.parallel


def test_a_new_data_space_gets_everything_and_the_old_one_keeps_its_tombstones(
    folder: Path, receiver: Receiver
) -> None:
    # Given the products feed synced to data space "alpha", then to "beta"
    alpha, beta = to(receiver, SAAS_EXPORT_DATA_SPACE_ID="alpha"), to(receiver, SAAS_EXPORT_DATA_SPACE_ID="beta")
    assert saas_export(folder, "resync", "--feed", "products", **alpha).returncode == 0
    result = saas_export(folder, "resync", "--feed", "products", **beta)
    # Then the switch sent every item to the new space
    assert result.returncode == 0, result.stderr
    with receiver.client() as client:
        assert client.feeds("beta")["products"] == client.feeds("alpha")["products"] > 0
        everything = client.feeds("alpha")["products"]
    status = saas_export(folder, "status", "--feed", "products", **beta)
    assert [line.split("│")[3].strip() for line in status.stdout.splitlines() if "│ products" in line] == [
        "beta",
        "alpha",
    ]
    # When a product disappears and "alpha" is synced again
    source = create_engine(catalog_url(folder))
    with source.begin() as conn:
        first = conn.execute(select(s.catalog_product_website.c.product_id).limit(1)).scalar_one()
        conn.execute(delete(s.catalog_product_website).where(s.catalog_product_website.c.product_id == first))
    source.dispose()
    assert saas_export(folder, "resync", "--feed", "products", **alpha).returncode == 0
    # Then "alpha" got that product's tombstones, and "beta" (not synced since) still has it
    with receiver.client() as client:
        assert client.feeds("alpha")["products"] < everything == client.feeds("beta")["products"]


@pytest.mark.cluster
def test_four_workers_share_one_rate(cluster: Cluster, tmp_path: Path) -> None:
    # Given four workers sending the products feed in batches of 25 at 5 requests/s in all
    with Receiver(tmp_path / "receiver", api_key=KEY) as receiver:
        cluster.target = receiver.url
        cluster.settings.update(
            SAAS_EXPORT_API_KEY=KEY,
            SAAS_EXPORT_TARGET_RATE="5",
            SAAS_EXPORT_FEEDS__PRODUCTS__SEND_BATCH_SIZE="25",
        )
        cluster.start_workers(4)
        # When the feed is resynced on four lanes
        result = cluster.cli("resync", "--feed", "products", "--thread-count", "4", "--batch-size", "150")
        # Then every request was accepted at five a second on average, and no second saw more than
        # the documented burst: the rate, plus one window's worth whose sending was delayed after
        # admission (a worker descheduled on a busy machine) - docs/http-target.md#one-rate-for-the-cluster
        assert result.returncode == 0, result.stderr
        with receiver.client() as client:
            stats = client.stats()
        posts = stats["posts"]["200"]
        assert set(stats["posts"]) == {"200"} and posts >= 40
        assert posts / (stats["seconds"] + 1) <= 5
        assert stats["busiestSecond"] <= 2 * 5
    # and the API key is nowhere in the workers' logs or the run rows
    assert all(KEY not in worker.log_text() for worker in cluster.workers)
    run = RunStore(cluster.feed_engine).recent("products", 1)[0]
    assert KEY not in repr(run)


def rsa_pair(folder: Path, name: str) -> tuple[Path, Path]:
    """A fresh RSA key pair as PEM files: (private, public)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private, public = folder / f"{name}.pem", folder / f"{name}.pub.pem"
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return private, public


def test_requests_signed_with_the_private_key_are_accepted_and_others_refused(folder: Path, tmp_path: Path) -> None:
    # Given a receiver that checks signatures against the shop's public key
    private, public = rsa_pair(tmp_path, "shop")
    stranger, _ = rsa_pair(tmp_path, "stranger")
    with Receiver(tmp_path / "signed", ["--public-key", str(public)], api_key=KEY) as receiver:
        # When the scopes are sent signed with the shop's key, then they are accepted
        signed = to(receiver, SAAS_EXPORT_PRIVATE_KEY_FILE=str(private))
        assert saas_export(folder, "resync", "--feed", "scopesWebsite", **signed).returncode == 0
        # When they are sent signed with another key, then the run stops on the refused signature
        other = to(receiver, SAAS_EXPORT_PRIVATE_KEY_FILE=str(stranger), SAAS_EXPORT_DATA_SPACE_ID="other")
        refused = saas_export(folder, "resync", "--feed", "scopesWebsite", **other)
        assert refused.returncode == 1
        assert "refused the API key (HTTP 401" in refused.stderr
        with receiver.client() as client:
            websites = len(build_feed(FEEDS["scopesWebsite"], catalog_url(folder)).items)
            assert (client.feeds()["scopesWebsite"], client.feeds("other")) == (websites, {})
