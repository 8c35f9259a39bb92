"""What a generation run wrote, for the CLI's table and for benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from exporters.sample_data.profiles import Profile

#: Called with a step name and how many of its entities are done (0 when the step starts).
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class GenerationReport:
    url: str
    profile: Profile
    edition: str
    seed: int
    #: Rows per table after the run, every table of the edition included.
    counts: dict[str, int]
    #: Wall-clock seconds of the whole run, schema creation included.
    elapsed: float
    #: Seconds per step (schema, base, attributes, categories, products, orders, ...).
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def products(self) -> int:
        return self.counts.get("catalog_product_entity", 0)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())
