"""Polling: wait for something, and fail the test saying what when it does not come."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")


def eventually(
    probe: Callable[[], T | None],
    *,
    timeout: float,
    waiting_for: str,
    seen: Callable[[], object] | None = None,
    interval: float = 0.05,
) -> T:
    """The first truthy value ``probe`` gives within ``timeout`` seconds.

    When none does, the test fails naming ``waiting_for`` and what was seen last: ``seen()`` when
    given, else the probe's last value.
    """
    deadline = time.monotonic() + timeout
    while not (value := probe()):
        if time.monotonic() > deadline:
            last = seen() if seen is not None else value
            pytest.fail(f"waited {timeout:g}s for {waiting_for}; last seen: {last}", pytrace=False)
        time.sleep(interval)
    return value
