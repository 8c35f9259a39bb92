"""The worker process's settings and Runtime, built on first use (after any fork)."""

from __future__ import annotations

from config import Settings, get_settings
from exporters.runs import RunPolicy, Runtime

_runtime: Runtime | None = None


def settings() -> Settings:
    return get_settings()


def policy(values: Settings) -> RunPolicy:
    return RunPolicy(
        chunk_lease=values.chunk_lease,
        run_lease=values.run_lease,
        max_attempts=values.chunk_max_retries + 1,
        mass_delete_share=values.mass_delete_share,
        mass_delete_min=values.mass_delete_min,
        stall_after=values.stall_after,
    )


def runtime() -> Runtime:
    global _runtime
    if _runtime is None:
        values = get_settings()
        _runtime = Runtime.create(
            source_url=values.source_db,
            feed_url=values.feed_db,
            target_url=values.target,
            data_space_id=values.data_space_id,
            persist_full_payload=values.persist_exported_feed,
            policy=policy(values),
            node=values.node,
        )
    return _runtime
