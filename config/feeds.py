"""Per-feed defaults for batch size and parallelism, and how overrides are layered.

Precedence, as in the original system: the CLI option, then
``SAAS_EXPORT_FEEDS__<FEED>__BATCH_SIZE`` / ``__THREAD_COUNT``, then these built-in values. The
built-in values were chosen with ``bench/resync.py`` (docs/benchmarks.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from config.settings import Settings


@dataclass(frozen=True)
class FeedDefaults:
    batch_size: int
    thread_count: int


#: Built-in defaults; a feed not listed uses ``FALLBACK``.
FEED_DEFAULTS: dict[str, FeedDefaults] = {
    "products": FeedDefaults(batch_size=500, thread_count=2),
}
FALLBACK = FeedDefaults(batch_size=500, thread_count=2)


def resolve_tuning(
    settings: Settings, feed: str, batch_size: int | None = None, thread_count: int | None = None
) -> FeedDefaults:
    """The batch size and thread count a run of ``feed`` uses."""
    builtin = FEED_DEFAULTS.get(feed, FALLBACK)
    env = settings.feed_tuning(feed)
    return FeedDefaults(
        batch_size=batch_size or env.batch_size or builtin.batch_size,
        thread_count=thread_count or env.thread_count or builtin.thread_count,
    )
