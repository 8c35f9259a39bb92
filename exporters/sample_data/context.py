"""The state every part of one generation run shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from exporters.sample_data.attribute_sets import AttributeCatalog
from exporters.sample_data.base import INSTALLED_AT, BaseIds, StoreViewIds
from exporters.sample_data.categories import CategoryTree
from exporters.sample_data.profiles import Profile
from exporters.sample_data.writer import BatchWriter

#: "Now" for the price index: special prices and their dates are judged as of this instant.
REINDEXED_AT = INSTALLED_AT + timedelta(days=90)


@dataclass
class Context:
    writer: BatchWriter
    rng: Random
    profile: Profile
    base: BaseIds
    attributes: AttributeCatalog
    categories: CategoryTree
    reindexed_at: datetime = REINDEXED_AT
    #: The run's seed, for ``rng_for``.
    seed: int = 0
    views_by_website: dict[int, tuple[StoreViewIds, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.views_by_website = {w: self.base.views_of(w) for w in self.base.websites}

    def rng_for(self, topic: str, entity_id: int) -> Random:
        """A random generator of one entity's ``topic`` (videos, downloadable links, ...), from the seed.

        Extras drawn from it leave the shared ``rng`` where it was, so adding one changes no other row.
        """
        return Random(f"{self.seed}:{topic}:{entity_id}")

    def views_of(self, websites: tuple[int, ...]) -> tuple[StoreViewIds, ...]:
        return tuple(v for w in websites for v in self.views_by_website[w])
