"""Trouble on demand, so that a sender's retries, backoff and rate halving can be tested.

Every POST that passed the gate goes through ``Faults.apply`` in this order: the added latency,
the dice for an injected 500, then the rate limit (429 with ``Retry-After: 1``). A failed or
throttled POST stores nothing. The state is touched only from the event loop, between awaits,
so it needs no lock.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Callable

from receiver.configuration import ReceiverConfig
from receiver.exceptions import Refused

#: The length of the rate limit's sliding window, in seconds.
WINDOW = 1.0


class Faults:
    """The configured latency, failure share and rate limit of one receiver."""

    def __init__(self, config: ReceiverConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self._latency = config.latency
        self._fail_share = config.fail_share
        self._rate = config.rate_limit
        self._dice = random.Random(config.seed)
        self._clock = clock
        self._admitted: deque[float] = deque()

    async def apply(self) -> None:
        """Wait the latency, then raise ``Refused`` when this POST is picked to fail or is over the rate."""
        if self._latency > 0:
            await asyncio.sleep(self._latency)
        if self._fail_share > 0 and self._dice.random() < self._fail_share:
            raise Refused(500, f"injected failure (fail share {self._fail_share:g})")
        self._throttle()

    def _throttle(self) -> None:
        """A sliding window: at most ``rate`` POSTs admitted in any second; refused ones do not count."""
        if self._rate is None:
            return
        now = self._clock()
        while self._admitted and self._admitted[0] <= now - WINDOW:
            self._admitted.popleft()
        if len(self._admitted) >= self._rate:
            raise Refused(429, f"more than {self._rate} requests a second", {"Retry-After": "1"})
        self._admitted.append(now)
