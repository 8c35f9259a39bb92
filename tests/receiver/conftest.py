"""A receiver served in the test process on a free loopback port, its database a SQLite file in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from receiver import ReceiverConfig
from tests.support.receiver import ReceiverClient, StartReceiver, serving


@pytest.fixture
def start_receiver(tmp_path: Path) -> Iterator[StartReceiver]:
    """A factory: ``start_receiver(api_key="k", fail_share=1.0)`` serves a receiver with those
    ``ReceiverConfig`` fields and returns a client sending its key; all stop with the test."""
    with ExitStack() as stack:

        def start(**options: Any) -> ReceiverClient:
            config = ReceiverConfig(db_url=f"sqlite:///{tmp_path / 'receiver.sqlite'}", **options)
            return stack.enter_context(ReceiverClient(stack.enter_context(serving(config)), config.api_key))

        yield start


@pytest.fixture
def receiver(start_receiver: StartReceiver) -> ReceiverClient:
    """A receiver with no key and no faults."""
    return start_receiver()
