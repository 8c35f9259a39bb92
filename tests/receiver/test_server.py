"""Where the receiver may listen: loopback always, anywhere else only with an API key."""

from __future__ import annotations

from pathlib import Path

import pytest

from receiver import ReceiverConfig, ReceiverError, ReceiverServer
from receiver.server import is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("10.1.2.3", False),
        ("no-such-host.invalid", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_server_refuses_a_public_address_without_a_key(tmp_path: Path) -> None:
    config = ReceiverConfig(db_url=f"sqlite:///{tmp_path / 'r.sqlite'}")
    with pytest.raises(ReceiverError) as refused:
        ReceiverServer(config, "0.0.0.0", 0)
    assert str(refused.value) == (
        "refusing to listen on 0.0.0.0 without an API key: it is not a loopback address. "
        "Give the receiver a key or listen on 127.0.0.1"
    )
    assert not (tmp_path / "r.sqlite").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"api_key": ""}, "the API key is empty: give a key or none"),
        ({"rate_limit": 0}, "rate limit 0 must be at least 1 request a second"),
        ({"fail_share": 1.5}, "fail share 1.5 must be between 0 and 1"),
        ({"latency": -1.0}, "latency -1.0 must not be negative"),
        ({"max_items": 0}, "max items 0 must be at least 1"),
    ],
)
def test_a_configuration_out_of_range_is_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(ReceiverError) as refused:
        ReceiverConfig(**options)  # type: ignore[arg-type]
    assert str(refused.value) == message
