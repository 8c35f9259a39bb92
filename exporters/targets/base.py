"""What a target is: somewhere a batch of feed items is delivered, item by item statuses back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from exporters.db import redact
from exporters.exceptions import TerminalError, TransientError
from exporters.model import PendingItem, SendResult


class TargetUnavailable(TransientError):
    """The target could not take the batch now; the chunk is retried with backoff."""

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"target {target} is unavailable: {reason}")


class BadTarget(TerminalError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"unsupported target '{redact(url)}'. Use http(s)://HOST[/prefix] (a Commerce Services API), "
            "file://DIR (NDJSON files) or null:// (discard); set it with SAAS_EXPORT_TARGET."
        )


class Target(Protocol):
    """Delivers one batch of items of one feed.

    ``batch_key`` names the batch deterministically (run, chunk, batch number), so delivering a
    redelivered chunk's batch again replaces it instead of duplicating it where the target can.
    """

    description: str
    #: Batches of one chunk it takes at once (an HTTP target: several requests in flight).
    parallel: int

    def batch_size(self, feed: str) -> int:
        """Items per ``send`` for ``feed``."""
        ...

    def send(self, feed: str, items: Sequence[PendingItem], batch_key: str) -> list[SendResult]: ...
