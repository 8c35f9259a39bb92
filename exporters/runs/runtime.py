"""What a process needs to run chunks: the source, the feed database and the target.

One ``Runtime`` lives per worker process. The source's metadata (scopes, attributes, option
labels) is cached per *run*: a long-lived worker must see an attribute label changed between
two runs, while the chunks of one run share one read of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from exporters.db import create_db_engine
from exporters.source import MagentoSource
from exporters.targets import Target, open_target


@dataclass
class Runtime:
    source_url: str
    feed_engine: Engine
    target: Target
    persist_full_payload: bool = False
    _source: tuple[str, MagentoSource] | None = field(default=None, repr=False)
    _source_engine: Engine | None = field(default=None, repr=False)

    @classmethod
    def create(
        cls, source_url: str, feed_url: str, target_url: str, data_space_id: str, persist_full_payload: bool = False
    ) -> Runtime:
        return cls(
            source_url=source_url,
            feed_engine=create_db_engine(feed_url, create_sqlite_dir=True),
            target=open_target(target_url, data_space_id),
            persist_full_payload=persist_full_payload,
        )

    def source_for(self, run_id: str) -> MagentoSource:
        """The source with metadata read once for ``run_id`` (the connection pool is kept)."""
        if self._source is None or self._source[0] != run_id:
            if self._source_engine is None:
                self._source_engine = create_db_engine(self.source_url)
            self._source = (run_id, MagentoSource(self.source_url, engine=self._source_engine))
        return self._source[1]
