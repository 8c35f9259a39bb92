"""How a process that builds feeds sets Python's garbage collector.

A chunk allocates a few hundred thousand small dicts and lists that are freed when it ends,
and holds none in reference cycles. With the default thresholds (a collection every 700
allocations, a full one every 70,000) the collector spent more time walking a chunk's
live items than the build spent making them: the products build ran at 140 µs per item with a
gen-0 threshold of 100,000 against 230 µs with the default (docs/benchmarks.md, "Products feed
build"). What lives as long as the process (modules, settings, engines, caches) is frozen out
of sight as well.
"""

from __future__ import annotations

import gc

#: Allocations between gen-0 collections; the older generations keep their default ratios.
GEN0_THRESHOLD = 100_000


def settle() -> None:
    """Freeze what exists now and collect rarely: call once a process has set itself up."""
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
