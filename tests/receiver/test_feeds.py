"""Batches received, kept and read back as docs/protocol.md says (a receiver with no key, no faults)."""

from __future__ import annotations

import gzip
import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.receiver import ReceiverClient, customer_group_item, website_item


def key(*identity: str) -> str:
    """The identity key the receiver reports receipts under: sha1 of the identity values joined by NUL."""
    return hashlib.sha1("\0".join(identity).encode()).hexdigest()


def test_items_of_two_feeds_in_two_data_spaces_are_kept_apart(receiver: ReceiverClient) -> None:
    # Given websites and customer groups sent to two data spaces
    for data_space, codes in (("shop-a", ["base", "eu"]), ("shop.b", ["us"])):
        answer = receiver.post("scopesWebsite", [website_item(code, n) for n, code in enumerate(codes, 1)], data_space)
        assert (answer.status_code, answer.json()) == (200, {"invalidFeedItems": []})
    assert receiver.post("scopesCustomerGroup", [customer_group_item(0), customer_group_item(1)], "shop-a").json() == {
        "invalidFeedItems": []
    }
    # When each feed of each data space is read back
    # Then each holds exactly what was sent to it, in identity order
    assert receiver.items("scopesWebsite", "shop-a") == [website_item("base", 1), website_item("eu", 2)]
    assert receiver.items("scopesWebsite", "shop.b") == [website_item("us", 1)]
    assert receiver.items("scopesCustomerGroup", "shop-a") == sorted(
        [customer_group_item(0), customer_group_item(1)], key=lambda item: item["customerGroupCode"]
    )
    assert receiver.items("scopesCustomerGroup", "shop.b") == []
    assert receiver.feeds("shop-a") == {"scopesCustomerGroup": 2, "scopesWebsite": 2}
    assert receiver.feeds("shop.b") == {"scopesWebsite": 1}
    assert receiver.feeds("never-used") == {}


def test_feed_names_match_in_any_letter_case(receiver: ReceiverClient) -> None:
    # When a batch names the feed in another letter case
    answer = receiver.post("SCOPESwebsite", [website_item("base")])
    # Then it is stored under the feed's own name
    assert answer.status_code == 200
    assert receiver.items("scopeswebsite") == [website_item("base")]
    assert receiver.feeds() == {"scopesWebsite": 1}


def test_an_unknown_feed_is_404(receiver: ReceiverClient) -> None:
    answer = receiver.post("prodcts", [website_item("base")])
    assert answer.status_code == 404
    assert answer.json() == {
        "message": "unknown feed 'prodcts'. Valid feeds: "
        "productAttributes, products, scopesCustomerGroup, scopesWebsite, prices, productOverrides, variants, "
        "categories, categoryPermissions, inventoryStockStatus, orders"
    }
    assert receiver.http.get("/feeds/prodcts/v1/default").status_code == 404


@pytest.mark.parametrize("data_space", [".hidden", "a..b", "x" * 65, "sp@ce"])
def test_a_data_space_id_a_setting_could_not_hold_is_400(receiver: ReceiverClient, data_space: str) -> None:
    # When a batch names a data space outside the settings' rule
    answer = receiver.post("scopesWebsite", [website_item("base")], data_space)
    # Then it is refused, saying the rule, and nothing is stored under it
    assert answer.status_code == 400
    assert answer.json() == {
        "message": f"'{data_space}' is not a data space id: use 1-64 letters, digits, '_', '-' or '.', "
        "not starting with '.' and without '..'"
    }
    assert receiver.http.get(f"/data-spaces/{data_space}").status_code == 400


def test_items_are_read_page_by_page_in_identity_order(receiver: ReceiverClient) -> None:
    # Given five websites sent out of order
    codes = ["e", "b", "d", "a", "c"]
    receiver.post("scopesWebsite", [website_item(code, n) for n, code in enumerate(codes, 1)])
    # When they are read two at a time
    pages = [receiver.http.get("/feeds/scopesWebsite/v1/default", params={"offset": o, "limit": 2}) for o in (0, 2, 4)]
    # Then the pages follow the identity order and say the total
    assert [page.json() for page in pages] == [
        {"items": [website_item("a", 4), website_item("b", 2)], "total": 5, "offset": 0, "limit": 2},
        {"items": [website_item("c", 5), website_item("d", 3)], "total": 5, "offset": 2, "limit": 2},
        {"items": [website_item("e", 1)], "total": 5, "offset": 4, "limit": 2},
    ]
    assert receiver.http.get("/feeds/scopesWebsite/v1/default").json()["limit"] == 100


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 1001}, "limit must be an integer from 0 to 1000, not '1001'"),
        ({"limit": "ten"}, "limit must be an integer from 0 to 1000, not 'ten'"),
        ({"offset": -1}, "offset must be an integer of 0 or more, not '-1'"),
    ],
)
def test_a_page_out_of_bounds_is_400(receiver: ReceiverClient, params: dict[str, str | int], message: str) -> None:
    answer = receiver.http.get("/feeds/scopesWebsite/v1/default", params=params)
    assert (answer.status_code, answer.json()) == (400, {"message": message})


def test_a_tombstone_removes_the_item_and_its_receipts_stay(receiver: ReceiverClient) -> None:
    # Given two websites
    receiver.post("scopesWebsite", [website_item("base", 1), website_item("eu", 2)])
    # When a tombstone of one arrives (its minimal payload, marked deleted)
    answer = receiver.post("scopesWebsite", [{"websiteId": "2", "websiteCode": "eu", "deleted": True}])
    # Then that item is gone, the other stays, and both receipts of "eu" are still counted
    assert (answer.status_code, answer.json()) == (200, {"invalidFeedItems": []})
    assert receiver.items("scopesWebsite") == [website_item("base", 1)]
    assert receiver.feeds() == {"scopesWebsite": 1}
    assert receiver.receipts("scopesWebsite") == {"receipts": {key("base"): 1, key("eu"): 2}, "requests": 2}


def test_a_duplicate_send_counts_two_receipts_and_keeps_the_last_item(receiver: ReceiverClient) -> None:
    # Given a website sent, then sent again changed in a second batch, and twice within a third
    receiver.post("scopesWebsite", [website_item("base", 1)])
    receiver.post("scopesWebsite", [website_item("base", 7)])
    receiver.post("scopesWebsite", [website_item("eu", 2), website_item("eu", 3)])
    # Then each receipt is counted, the batches are counted, and the last item of each identity is held
    assert receiver.receipts("scopesWebsite") == {"receipts": {key("base"): 2, key("eu"): 2}, "requests": 3}
    assert receiver.items("scopesWebsite") == [website_item("base", 7), website_item("eu", 3)]


def test_an_invalid_item_is_answered_by_its_index_and_the_rest_is_stored(receiver: ReceiverClient) -> None:
    # Given a batch whose second and fourth items break the feed's schema
    batch = [
        website_item("base", 1),
        {**website_item("eu", 2), "websiteId": "two"},
        website_item("us", 3),
        "not an item",
    ]
    # When it is sent
    answer = receiver.post("scopesWebsite", batch)
    # Then exactly those are listed with the validator's message, and the others are stored
    assert answer.status_code == 200
    assert answer.json() == {
        "invalidFeedItems": [
            {
                "itemIndex": 1,
                "code": "INVALID_ITEM",
                "message": r'schema violation: data.websiteId: "two" does not match "^\d+$"',
            },
            {
                "itemIndex": 3,
                "code": "INVALID_ITEM",
                "message": 'schema violation: data: "not an item" is not of type "object"',
            },
        ]
    }
    assert receiver.items("scopesWebsite") == [website_item("base", 1), website_item("us", 3)]
    assert receiver.receipts("scopesWebsite") == {"receipts": {key("base"): 1, key("us"): 1}, "requests": 1}


def test_a_tombstone_is_checked_only_for_its_identity(receiver: ReceiverClient) -> None:
    # Given a tombstone with its identity but not the rest of the schema, and one without its identity
    batch = [{"websiteCode": "base", "deleted": True}, {"websiteId": "3", "deleted": True}]
    # When they are sent
    answer = receiver.post("scopesWebsite", batch)
    # Then the first is taken and the second refused for its missing identity
    assert answer.json() == {
        "invalidFeedItems": [
            {"itemIndex": 1, "code": "INVALID_ITEM", "message": "tombstone without its identity: missing websiteCode"}
        ]
    }
    assert receiver.receipts("scopesWebsite") == {"receipts": {key("base"): 1}, "requests": 1}


def test_a_gzip_body_is_read(receiver: ReceiverClient) -> None:
    answer = receiver.post("scopesWebsite", [website_item("base"), website_item("eu", 2)], compress=True)
    assert (answer.status_code, answer.json()) == (200, {"invalidFeedItems": []})
    assert receiver.items("scopesWebsite") == [website_item("base"), website_item("eu", 2)]


@pytest.mark.parametrize(
    ("body", "headers", "message"),
    [
        (b'{"websiteCode": "base"}', {}, "the body must be a JSON array of feed items"),
        (b"[1, 2", {}, "the body is not JSON: unexpected end of data: line 1 column 6 (char 5)"),
        (
            b"[]",
            {"Content-Encoding": "gzip"},
            "the body is not valid gzip: it does not start with gzip's bytes 1f 8b (b'[]')",
        ),
        (
            gzip.compress(b"[]")[:-4],
            {"Content-Encoding": "gzip"},
            "the body is not valid gzip: incomplete or truncated stream",
        ),
        (gzip.compress(b"[]"), {"Content-Encoding": "br"}, "unsupported Content-Encoding 'br': send gzip or none"),
    ],
)
def test_a_body_that_is_not_a_json_array_is_400(
    receiver: ReceiverClient, body: bytes, headers: dict[str, str], message: str
) -> None:
    answer = receiver.http.post("/feeds/scopesWebsite/v1/default", content=body, headers=headers)
    assert (answer.status_code, answer.json()) == (400, {"message": message})
    assert receiver.receipts("scopesWebsite") == {"receipts": {}, "requests": 0}


def test_deleting_a_data_space_forgets_it_and_leaves_the_others(receiver: ReceiverClient) -> None:
    # Given items in two data spaces, one of them tombstoned
    receiver.post("scopesWebsite", [website_item("base"), website_item("eu", 2)], "gone")
    receiver.post("scopesWebsite", [{"websiteCode": "eu", "deleted": True}], "gone")
    receiver.post("scopesCustomerGroup", [customer_group_item(1)], "gone")
    receiver.post("scopesWebsite", [website_item("base")], "kept")
    # When the first data space is deleted
    answer = receiver.http.delete("/data-spaces/gone")
    # Then it says how many items it held, holds nothing (nor receipts) any more, and the other is untouched
    assert (answer.status_code, answer.json()) == (200, {"deleted": 2})
    assert receiver.http.get("/data-spaces/gone").json() == {"dataSpaceId": "gone", "feeds": {}}
    assert receiver.receipts("scopesWebsite", "gone") == {"receipts": {}, "requests": 0}
    assert receiver.items("scopesWebsite", "kept") == [website_item("base")]
    assert receiver.receipts("scopesWebsite", "kept") == {"receipts": {key("base"): 1}, "requests": 1}


def test_health_and_unknown_routes(receiver: ReceiverClient) -> None:
    assert receiver.http.get("/health").json() == {"status": "ok"}
    missing = receiver.http.get("/feeds/scopesWebsite")
    assert (missing.status_code, missing.json()) == (404, {"message": "Not Found"})
    wrong_method = receiver.http.put("/feeds/scopesWebsite/v1/default")
    assert (wrong_method.status_code, wrong_method.json()) == (405, {"message": "Method Not Allowed"})


def test_concurrent_batches_of_the_same_items_count_every_receipt(receiver: ReceiverClient) -> None:
    # Given 8 senders each sending the same 10 websites in 5 batches, all at once
    batch = [website_item(f"w{n}", n) for n in range(10)]

    def send(_sender: int) -> list[int]:
        with ReceiverClient(receiver.url) as client:
            return [client.post("scopesWebsite", batch).status_code for _ in range(5)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = [status for sent in pool.map(send, range(8)) for status in sent]
    # Then every batch is taken, every receipt counted, and each website held once
    assert statuses == [200] * 40
    assert receiver.receipts("scopesWebsite") == {"receipts": {key(f"w{n}"): 40 for n in range(10)}, "requests": 40}
    assert receiver.items("scopesWebsite") == batch
