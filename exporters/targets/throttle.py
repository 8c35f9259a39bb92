"""One request rate and one concurrency limit towards the target, for the whole cluster.

The rate is a moving one-second window (the ``limits`` library: a maintained limiter with the
same algorithm in memory and in Redis), so no one-second window ever holds more requests than
the rate allows: the burst is the rate itself. It adapts: each 429 halves it, and it doubles
back every ``RECOVERY`` seconds up to the configured rate. Requests in flight are counted in a
semaphore: a Redis sorted set of holders (each entry expiring, so a killed worker's slot comes
back) shared by every worker process, or a local semaphore on the embedded default.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

#: Seconds for a halved rate to double back (towards the configured rate).
RECOVERY = 10.0
#: The rate never adapts below this many requests per second.
FLOOR = 0.1
#: Seconds a Redis concurrency slot is held at most (a request's timeouts stay below it).
SLOT_TTL = 600.0

_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
  return 1
end
return 0
"""


class Throttle(Protocol):
    """What the HTTP target asks before each request, and tells after a 429."""

    def slot(self) -> AbstractContextManager[None]: ...

    def slow_down(self) -> None: ...


def rate_item(rate: float) -> RateLimitItem:
    """``rate`` requests per second as a ``limits`` item (below 1/s: 1 per N seconds)."""
    if rate >= 1:
        return RateLimitItemPerSecond(int(rate))
    return RateLimitItemPerSecond(1, math.ceil(1 / rate))


def adapted(ceiling: float, halved: float | None, since: float | None, now: float) -> float:
    """The rate allowed at ``now``: ``halved`` at ``since``, doubling every ``RECOVERY`` s, at most ``ceiling``."""
    if halved is None or since is None:
        return ceiling
    return min(ceiling, halved * 2 ** ((now - since) / RECOVERY))


class SharedThrottle:
    """Rate and concurrency limits kept in ``storage`` (Redis for a cluster, memory otherwise).

    ``key`` names what is limited (the target and data space), so every process sending there
    shares one limit.
    """

    def __init__(self, key: str, rate: float | None, concurrency: int | None, redis_url: str | None = None) -> None:
        self.key = key
        self.ceiling = rate
        self.concurrency = concurrency
        self.redis_url = redis_url
        storage: Storage = RedisStorage(redis_url) if redis_url else MemoryStorage()
        self.limiter = MovingWindowRateLimiter(storage)
        self._local_state: tuple[float, float] | None = None
        self._local_slots = threading.BoundedSemaphore(concurrency) if concurrency and not redis_url else None
        self._redis = None
        if redis_url:
            import redis  # a dependency of celery[redis]

            self._redis = redis.Redis.from_url(redis_url)
            self._acquire = self._redis.register_script(_ACQUIRE)

    # -- the adaptive rate ------------------------------------------------------------------

    def _state(self) -> tuple[float | None, float | None]:
        if self._redis is None:
            return self._local_state or (None, None)
        raw = self._redis.hmget(f"{self.key}:rate", "halved", "since")
        return (float(raw[0]), float(raw[1])) if raw[0] is not None and raw[1] is not None else (None, None)

    def rate(self) -> float | None:
        """The rate allowed now (None: no limit)."""
        if self.ceiling is None:
            return None
        halved, since = self._state()
        return adapted(self.ceiling, halved, since, time.time())

    def slow_down(self) -> None:
        """The target answered 429: halve the shared rate (it recovers by itself)."""
        if self.ceiling is None:
            return
        now = time.time()
        current = self.rate() or self.ceiling
        halved = max(FLOOR, current / 2)
        if self._redis is None:
            self._local_state = (halved, now)
        else:
            self._redis.hset(f"{self.key}:rate", mapping={"halved": halved, "since": now})

    # -- slots ------------------------------------------------------------------------------

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for a free concurrency slot, then for room in the rate window; hold the slot."""
        release = self._enter()
        try:
            self._wait_for_rate()
            yield
        finally:
            release()

    def _enter(self) -> _Release:
        if self._local_slots is not None:
            self._local_slots.acquire()
            return self._local_slots.release
        if self._redis is None or not self.concurrency:
            return _nothing
        token, key = uuid.uuid4().hex, f"{self.key}:slots"
        while True:
            now = time.time()
            if self._acquire(keys=[key], args=[now - SLOT_TTL, self.concurrency, now, token]):
                redis_client = self._redis
                return lambda: redis_client.zrem(key, token)
            time.sleep(0.01)

    def _wait_for_rate(self) -> None:
        rate = self.rate()
        while rate is not None:
            item = rate_item(rate)
            if self.limiter.hit(item, self.key):
                return
            reset = self.limiter.get_window_stats(item, self.key).reset_time
            time.sleep(min(1.0, max(0.005, reset - time.time())))
            rate = self.rate()


class _Release(Protocol):
    def __call__(self) -> object: ...


def _nothing() -> None:
    return None
