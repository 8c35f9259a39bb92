"""Building a feed in a test as a chunk does, and the values its items carry."""

from __future__ import annotations

import hashlib

from exporters.db import create_db_engine
from exporters.feeds import FeedSpec, validate
from exporters.feedtable import FeedStore, upgrade
from exporters.model import BuildResult
from exporters.runs import MAX_ID
from exporters.source import MagentoSource


def build_feed(spec: FeedSpec, source: str | MagentoSource, lo: int = 0, hi: int = MAX_ID) -> BuildResult:
    """The validated items (and failures) of ``spec`` over ids ``lo..hi`` of ``source`` (a URL or a source)."""
    if isinstance(source, str):
        source = MagentoSource(source)
    return validate(spec, spec.build(source, lo, hi))


def group_code(customer_group_id: int) -> str:
    """A customer group as the feeds name it: the SHA-1 of its id."""
    return hashlib.sha1(str(customer_group_id).encode()).hexdigest()


def new_feed_store(url: str, spec: FeedSpec, *, persist_full_payload: bool = False) -> FeedStore[FeedSpec]:
    """The feed table of ``spec`` in the empty database at ``url``, migrated to the latest version."""
    engine = create_db_engine(url)
    upgrade(engine)
    return FeedStore(engine, spec, persist_full_payload=persist_full_payload)
