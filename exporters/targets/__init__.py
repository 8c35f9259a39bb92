"""Where feed items go: ``file://DIR``, ``null://`` (and the Commerce Services API later)."""

from __future__ import annotations

from pathlib import Path

from exporters.targets.base import BadTarget, Target, TargetUnavailable
from exporters.targets.file import FileTarget
from exporters.targets.null import NullTarget

__all__ = ["BadTarget", "FileTarget", "NullTarget", "Target", "TargetUnavailable", "open_target"]


def open_target(url: str, data_space_id: str) -> Target:
    """The target a ``SAAS_EXPORT_TARGET`` URL names; relative file paths are from the cwd."""
    if url.startswith("file://"):
        return FileTarget(Path(url.removeprefix("file://")), data_space_id)
    if url.rstrip("/") in ("null:", "null:/", "null://", "null"):
        return NullTarget()
    raise BadTarget(url)
