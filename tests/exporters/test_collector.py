"""The garbage collector settings of a process that builds feeds."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from exporters import collector


@pytest.fixture
def restored_collector() -> Iterator[None]:
    """Give the test process its collector back as it was."""
    thresholds = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_settle_freezes_what_exists_and_collects_young_objects_rarely(restored_collector: None) -> None:
    # Given a process with the default thresholds and objects made during its set-up
    gc.set_threshold(700, 10, 10)
    gc.unfreeze()
    made_during_setup = [{"n": n} for n in range(1000)]
    # When it settles
    collector.settle()
    # Then those objects are out of the collector's sight, and a gen-0 collection waits for
    # 100,000 allocations while the older generations keep their ratios
    assert gc.get_freeze_count() >= len(made_during_setup)
    assert gc.get_threshold() == (collector.GEN0_THRESHOLD, 10, 10) == (100_000, 10, 10)
