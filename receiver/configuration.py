"""What one receiver instance does: where it stores, whom it lets in, which faults it plays."""

from __future__ import annotations

from dataclasses import dataclass, field

from receiver.exceptions import ReceiverError

DEFAULT_DB = "sqlite:///var/receiver.sqlite"


@dataclass(frozen=True)
class ReceiverConfig:
    """A receiver's settings, handed in by its caller: the receiver reads no environment itself.

    ``api_key`` is left out of the repr so that printing or logging a configuration cannot leak it.
    """

    db_url: str = DEFAULT_DB
    #: When set, every route but ``/health`` wants it in ``x-api-key``.
    api_key: str | None = field(default=None, repr=False)
    #: PEM text of the RSA key that ``x-gw-signature`` tokens must be signed with (POST only).
    public_key: str | None = None
    #: POSTs admitted per sliding second; the rest get 429. None: no limit.
    rate_limit: int | None = None
    #: Share of POSTs (0..1) answered 500 on purpose.
    fail_share: float = 0.0
    #: Seconds added to every POST before it is answered.
    latency: float = 0.0
    #: A batch with more items is answered 413.
    max_items: int = 1000
    #: Seed of the dice that pick the failing POSTs; the same seed fails the same requests.
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.api_key == "":
            raise ReceiverError("the API key is empty: give a key or none")
        if self.rate_limit is not None and self.rate_limit < 1:
            raise ReceiverError(f"rate limit {self.rate_limit} must be at least 1 request a second")
        if not 0.0 <= self.fail_share <= 1.0:
            raise ReceiverError(f"fail share {self.fail_share} must be between 0 and 1")
        if self.latency < 0:
            raise ReceiverError(f"latency {self.latency} must not be negative")
        if self.max_items < 1:
            raise ReceiverError(f"max items {self.max_items} must be at least 1")
