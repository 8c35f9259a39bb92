"""Where feed items go: ``http(s)://`` (Commerce Services), ``file://DIR``, ``null://``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from exporters.targets.base import BadTarget, Target, TargetUnavailable
from exporters.targets.file import FileTarget
from exporters.targets.http import ConnectorMetadata, HttpConfig, HttpTarget, TargetKeyRefused
from exporters.targets.null import NullTarget
from exporters.targets.throttle import SharedThrottle, Throttle

__all__ = [
    "BadTarget",
    "ConnectorMetadata",
    "FileTarget",
    "HttpConfig",
    "HttpTarget",
    "NullTarget",
    "SharedThrottle",
    "Target",
    "TargetKeyRefused",
    "TargetUnavailable",
    "Throttle",
    "open_target",
]


def open_target(
    url: str,
    data_space_id: str,
    *,
    http: HttpConfig | None = None,
    throttle: Throttle | None = None,
    metadata: Callable[[], ConnectorMetadata] = ConnectorMetadata,
) -> Target:
    """The target a ``SAAS_EXPORT_TARGET`` URL names; relative file paths are from the cwd."""
    if url.startswith(("http://", "https://")):
        limit = throttle or SharedThrottle(f"saas_export:target:{url}:{data_space_id}", None, None)
        return HttpTarget(url, data_space_id, http or HttpConfig(), limit, metadata)
    if url.startswith("file://"):
        return FileTarget(Path(url.removeprefix("file://")), data_space_id)
    if url.rstrip("/") in ("null:", "null:/", "null://", "null"):
        return NullTarget()
    raise BadTarget(url)
