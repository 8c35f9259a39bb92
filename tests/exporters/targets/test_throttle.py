"""One rate and one concurrency limit shared by every process: Redis for a cluster, memory otherwise."""

from __future__ import annotations

import threading
import time
import uuid
from bisect import bisect_right
from collections.abc import Iterator

import pytest
import redis

from exporters.targets import SharedThrottle
from exporters.targets.throttle import FLOOR, RECOVERY, adapted, rate_item

REDIS = "redis://127.0.0.1:6379/0"


def busiest_second(times: list[float]) -> int:
    """The most events in any window of 0.9 s: a second, less the moments between a slot's
    admission and the test's noting its time (a thread may wait for the interpreter lock)."""
    times = sorted(times)
    return max(bisect_right(times, t + 0.9) - i for i, t in enumerate(times))


@pytest.fixture
def key() -> Iterator[str]:
    name = f"saas_test_throttle_{uuid.uuid4().hex[:8]}"
    yield name
    client = redis.Redis.from_url(REDIS)
    client.delete(*client.keys(f"{name}*") or [name])
    client.close()


def test_an_adapted_rate_halves_then_doubles_back_to_its_ceiling() -> None:
    assert adapted(8.0, None, None, now=100.0) == 8.0
    assert adapted(8.0, 2.0, 100.0, now=100.0) == 2.0
    assert adapted(8.0, 2.0, 100.0, now=100.0 + RECOVERY) == 4.0
    assert adapted(8.0, 2.0, 100.0, now=100.0 + 10 * RECOVERY) == 8.0
    assert (rate_item(5.0).amount, rate_item(0.25).amount, rate_item(0.25).multiples) == (5, 1, 4)


@pytest.mark.cluster
def test_two_processes_share_one_rate_in_redis(key: str) -> None:
    # Given two throttles on one key (two worker processes) allowing 5 requests/s in all
    throttles = [SharedThrottle(key, 5.0, None, redis_url=REDIS) for _ in range(2)]
    stamps: list[float] = []
    lock = threading.Lock()

    def request(throttle: SharedThrottle) -> None:
        for _ in range(6):
            with throttle.slot(), lock:
                stamps.append(time.monotonic())

    # When four threads (two per throttle) send 24 requests as fast as allowed
    workers = [threading.Thread(target=request, args=(t,)) for t in throttles for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    # Then no second held more than five, and they took about four seconds
    assert len(stamps) == 24
    assert busiest_second(stamps) <= 5
    assert max(stamps) - min(stamps) >= 3.5


@pytest.mark.cluster
def test_a_429_halves_the_rate_for_every_process(key: str) -> None:
    first, second = (SharedThrottle(key, 8.0, None, redis_url=REDIS) for _ in range(2))
    first.slow_down()
    assert second.rate() == pytest.approx(4.0, rel=0.05)
    second.slow_down()
    assert first.rate() == pytest.approx(2.0, rel=0.05)
    for _ in range(10):
        first.slow_down()
    assert second.rate() == pytest.approx(FLOOR, rel=0.05)


@pytest.mark.cluster
def test_requests_in_flight_never_exceed_the_concurrency(key: str) -> None:
    # Given two processes sharing two slots
    throttles = [SharedThrottle(key, None, 2, redis_url=REDIS) for _ in range(2)]
    inside, peak, lock = 0, 0, threading.Lock()

    def request(throttle: SharedThrottle) -> None:
        nonlocal inside, peak
        for _ in range(5):
            with throttle.slot():
                with lock:
                    inside += 1
                    peak = max(peak, inside)
                time.sleep(0.02)
                with lock:
                    inside -= 1

    workers = [threading.Thread(target=request, args=(t,)) for t in throttles for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert peak == 2


def test_in_memory_the_same_limits_hold() -> None:
    throttle = SharedThrottle(f"local-{uuid.uuid4().hex}", 10.0, 1)
    stamps: list[float] = []
    for _ in range(15):
        with throttle.slot():
            stamps.append(time.monotonic())
    assert busiest_second(stamps) <= 10
