"""``null://``: accepts everything and keeps nothing (benchmarks, dry infrastructure tests)."""

from __future__ import annotations

from collections.abc import Sequence

from exporters.model import PendingItem, SendResult, Status


class NullTarget:
    description = "null://"
    parallel = 1

    def batch_size(self, feed: str) -> int:
        return 500

    def send(self, feed: str, items: Sequence[PendingItem], batch_key: str) -> list[SendResult]:
        return [SendResult(p.feed_id, int(Status.ACCEPTED)) for p in items]
