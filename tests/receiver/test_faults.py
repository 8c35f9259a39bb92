"""Faults on demand: too large, too fast, failing and slow POSTs; none of them stores anything."""

from __future__ import annotations

import time

from tests.support.receiver import StartReceiver, website_item


def websites(count: int) -> list[dict[str, object]]:
    return [website_item(f"w{n:02d}", n) for n in range(count)]


def test_a_batch_above_max_items_is_413(start_receiver: StartReceiver) -> None:
    # Given a receiver taking at most 3 items a batch
    receiver = start_receiver(max_items=3)
    # When 4 items come in one batch, then 3
    too_many = receiver.post("scopesWebsite", websites(4))
    enough = receiver.post("scopesWebsite", websites(3))
    # Then the first is refused whole and the second stored
    assert (too_many.status_code, too_many.json()) == (413, {"message": "4 items in one batch; at most 3"})
    assert (enough.status_code, enough.json()) == (200, {"invalidFeedItems": []})
    assert receiver.items("scopesWebsite") == websites(3)
    assert receiver.receipts("scopesWebsite")["requests"] == 1


def test_posts_above_the_rate_are_429_with_retry_after(start_receiver: StartReceiver) -> None:
    # Given a receiver admitting 2 POSTs a second
    receiver = start_receiver(rate_limit=2)
    # When 3 come at once, and one more after a second
    answers = [receiver.post("scopesWebsite", [website_item(f"w{n}", n)]) for n in range(3)]
    time.sleep(1.05)
    later = receiver.post("scopesWebsite", [website_item("w3", 3)])
    # Then the third is refused with Retry-After: 1 and not stored, and the window has moved on for the fourth
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["Retry-After"] == "1"
    assert answers[2].json() == {"message": "more than 2 requests a second"}
    assert later.status_code == 200
    assert [item["websiteCode"] for item in receiver.items("scopesWebsite")] == ["w0", "w1", "w3"]
    assert receiver.receipts("scopesWebsite")["requests"] == 3


def test_reading_is_not_rate_limited(start_receiver: StartReceiver) -> None:
    receiver = start_receiver(rate_limit=1)
    assert [receiver.http.get("/feeds/scopesWebsite/v1/default").status_code for _ in range(3)] == [200, 200, 200]


def test_a_fail_share_of_one_answers_every_post_500(start_receiver: StartReceiver) -> None:
    # Given a receiver failing every POST
    receiver = start_receiver(fail_share=1.0)
    # When batches are sent
    answers = [receiver.post("scopesWebsite", [website_item("base")]) for _ in range(3)]
    # Then each is 500 and nothing is stored or counted
    assert [(a.status_code, a.json()) for a in answers] == [(500, {"message": "injected failure (fail share 1)"})] * 3
    assert receiver.receipts("scopesWebsite") == {"receipts": {}, "requests": 0}


def test_the_same_seed_fails_the_same_posts(start_receiver: StartReceiver) -> None:
    # Given two receivers failing half the POSTs with the same seed
    first, second = start_receiver(fail_share=0.5, seed=11), start_receiver(fail_share=0.5, seed=11)
    # When each gets 20 batches
    statuses = [
        [r.post("scopesWebsite", [website_item("base")]).status_code for _ in range(20)] for r in (first, second)
    ]
    # Then both fail the same ones, and some POSTs pass while others fail
    assert statuses[0] == statuses[1]
    assert sorted(set(statuses[0])) == [200, 500]


def test_latency_is_added_to_posts(start_receiver: StartReceiver) -> None:
    # Given a receiver adding 0.3 s to each POST
    receiver = start_receiver(latency=0.3)
    # When a batch is sent
    started = time.monotonic()
    answer = receiver.post("scopesWebsite", [website_item("base")])
    elapsed = time.monotonic() - started
    # Then the answer comes no sooner than that, and the batch is stored
    assert answer.status_code == 200
    assert elapsed >= 0.3
    assert receiver.items("scopesWebsite") == [website_item("base")]


def test_faults_come_after_the_key_and_failing_comes_before_throttling(start_receiver: StartReceiver) -> None:
    # Given a receiver with a key, failing every POST and admitting one a second
    receiver = start_receiver(api_key="k", fail_share=1.0, rate_limit=1)
    # When a POST comes without the key, then three with it
    receiver.http.headers.pop("x-api-key")
    stranger = receiver.post("scopesWebsite", [website_item("base")])
    receiver.http.headers["x-api-key"] = "k"
    answers = [receiver.post("scopesWebsite", [website_item("base")]).status_code for _ in range(3)]
    # Then the stranger is refused for the key, and the others fail before the rate is looked at
    assert stranger.status_code == 401
    assert answers == [500, 500, 500]


def test_stats_count_every_post_by_answer_and_the_busiest_second(start_receiver: StartReceiver) -> None:
    # Given a receiver failing every POST
    client = start_receiver(fail_share=1.0)
    # When three batches are posted
    for _ in range(3):
        assert client.post("scopesWebsite", [website_item("base")]).status_code == 500
    # Then its stats count three 500s, all within one second
    stats = client.stats()
    assert (stats["posts"], stats["busiestSecond"]) == ({"500": 3}, 3)
    assert 0 <= stats["seconds"] < 1
