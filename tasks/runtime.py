"""The worker process's settings and Runtime, built on first use (after any fork)."""

from __future__ import annotations

from pathlib import Path

from config import Settings, get_settings
from exporters import collector
from exporters.db import redact
from exporters.feedtable import upgrade
from exporters.runs import RunPolicy, Runtime
from exporters.targets import HttpConfig, SharedThrottle

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


def http_config(values: Settings) -> HttpConfig:
    key_file: Path | None = values.private_key_file
    return HttpConfig(
        api_key=values.api_key.get_secret_value() if values.api_key else None,
        private_key=key_file.read_text() if key_file else None,
        gzip=values.http_gzip,
        connect_timeout=values.http_connect_timeout,
        read_timeout=values.http_read_timeout,
        attempts=values.http_attempts,
        parallel=values.http_parallel,
        verify_tls=values.http_verify_tls,
        backoff_max=float(values.retry_backoff_max),
        batch_sizes={
            name.lower(): tuning.send_batch_size for name, tuning in values.feeds.items() if tuning.send_batch_size
        },
    )


def throttle(values: Settings) -> SharedThrottle:
    """The target's rate and concurrency limits, in Redis when the cluster has it (its result backend)."""
    backend = values.result_backend or ""
    redis_url = backend if backend.startswith(("redis://", "rediss://")) else None
    key = f"saas_export:target:{redact(values.target)}:{values.data_space_id}"
    return SharedThrottle(key, values.target_rate, values.target_concurrency, redis_url=redis_url)


def migrate(rt: Runtime) -> None:
    """Bring the feed database to the current revision (idempotent and cheap)."""
    upgrade(rt.feed_engine, data_space=rt.data_space)


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
            extended_log=values.exporter_extended_log,
            policy=policy(values),
            node=values.node,
            http=http_config(values),
            throttle=throttle(values),
        )
        # The modules, settings and engines live as long as the process, and chunks allocate
        # items by the thousand without cycles: docs/benchmarks.md, "Products feed build".
        collector.settle()
    return _runtime
