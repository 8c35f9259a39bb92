"""What a process needs to run chunks: the source, the feed database, the target, and the rules
(leases, attempts, the mass-delete guard) its runs follow.

One ``Runtime`` lives per worker process. The source's metadata (scopes, attributes, option
labels) is cached per *run*: a long-lived worker must see an attribute label changed between
two runs, while the chunks of one run share one read of it.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field

from sqlalchemy import Engine

from exporters.db import create_db_engine, redact
from exporters.source import MagentoSource
from exporters.targets import ConnectorMetadata, HttpConfig, Target, Throttle, open_target


@dataclass(frozen=True)
class RunPolicy:
    """How runs behave under faults (docs/reliability.md); the settings fill it in."""

    #: Seconds a chunk claim lasts unless renewed (every third of it while the chunk works).
    chunk_lease: float = 120.0
    #: Seconds a run and its feed lock last unless something renews them.
    run_lease: float = 600.0
    #: Claims a chunk may use up; a chunk whose claims never recorded a result is then failed.
    max_attempts: int = 6
    #: Share of the feed's accepted items a run may tombstone without ``--allow-mass-delete``...
    mass_delete_share: float = 0.2
    #: ...and the number it may always tombstone (small feeds).
    mass_delete_min: int = 10
    #: Seconds without chunk activity after which a lane counts as stopped.
    stall_after: float = 300.0


class ShopMetadata:
    """The shop's edition for the connector's headers, read from the source once per process."""

    def __init__(self, source_url: str) -> None:
        self.source_url = source_url
        self._value: ConnectorMetadata | None = None

    def __call__(self) -> ConnectorMetadata:
        if self._value is None:
            source = MagentoSource(self.source_url)
            try:
                self._value = ConnectorMetadata("Adobe Commerce" if source.edition.staged else "Open Source")
            finally:
                source.engine.dispose()
        return self._value


@dataclass
class Runtime:
    source_url: str = field(repr=False)
    feed_engine: Engine
    target: Target
    persist_full_payload: bool = False
    #: ``EXPORTER_EXTENDED_LOG``: a dry run logs the payloads it would send.
    extended_log: bool = False
    #: The data space items are sent to (``SAAS_EXPORT_DATA_SPACE_ID``); feed rows belong to it.
    data_space: str = "default"
    policy: RunPolicy = field(default_factory=RunPolicy)
    #: The name runs, locks and claims record for this process (``SAAS_EXPORT_NODE_NAME``).
    node: str = field(default_factory=socket.gethostname)
    _source: tuple[str, MagentoSource] | None = field(default=None, repr=False)
    _source_engine: Engine | None = field(default=None, repr=False)

    @classmethod
    def create(
        cls,
        source_url: str,
        feed_url: str,
        target_url: str,
        data_space_id: str,
        persist_full_payload: bool = False,
        policy: RunPolicy | None = None,
        node: str | None = None,
        http: HttpConfig | None = None,
        throttle: Throttle | None = None,
        extended_log: bool = False,
    ) -> Runtime:
        target = open_target(target_url, data_space_id, http=http, throttle=throttle, metadata=ShopMetadata(source_url))
        return cls(
            source_url=source_url,
            feed_engine=create_db_engine(feed_url, create_sqlite_dir=True),
            target=target,
            persist_full_payload=persist_full_payload,
            extended_log=extended_log,
            data_space=data_space_id,
            policy=policy or RunPolicy(),
            node=node or socket.gethostname(),
        )

    def __repr__(self) -> str:
        feed, target = redact(self.feed_engine.url), self.target.description
        return f"Runtime(source={redact(self.source_url)}, feed={feed}, target={target})"

    @property
    def worker_name(self) -> str:
        """This process as chunk claims record it when no Celery worker name applies: node#pid."""
        return f"{self.node}#{os.getpid()}"

    def source_for(self, run_id: str) -> MagentoSource:
        """The source with metadata read once for ``run_id`` (the connection pool is kept)."""
        if self._source is None or self._source[0] != run_id:
            if self._source_engine is None:
                self._source_engine = create_db_engine(self.source_url)
            self._source = (run_id, MagentoSource(self.source_url, engine=self._source_engine))
        return self._source[1]
