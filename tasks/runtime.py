"""The worker process's Runtime, built from the settings on first use (after any fork)."""

from __future__ import annotations

from config import get_settings
from exporters.runs import Runtime

_runtime: Runtime | None = None


def runtime() -> Runtime:
    global _runtime
    if _runtime is None:
        settings = get_settings()
        _runtime = Runtime.create(
            source_url=settings.source_db,
            feed_url=settings.feed_db,
            target_url=settings.target,
            data_space_id=settings.data_space_id,
            persist_full_payload=settings.persist_exported_feed,
        )
    return _runtime
