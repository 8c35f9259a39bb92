"""Errors about runs and feed locks."""

from __future__ import annotations

from exporters.exceptions import ExportError, TerminalError


class FeedLocked(ExportError):
    """Another run holds the feed: one resync per feed at a time."""

    def __init__(self, feed: str, run_id: str, host: str, pid: int, since: str) -> None:
        super().__init__(
            f"Feed sync skipped, resource occupied by another process: feed '{feed}' is held by run {run_id} "
            f"(host {host}, pid {pid}) since {since}. Wait for it to finish; if that run is stuck, "
            f"`saas-export runs finalize {run_id}` closes it and releases the feed."
        )
        self.feed = feed
        self.run_id = run_id


class RunNotFound(TerminalError):
    def __init__(self, run_id: str) -> None:
        super().__init__(f"no run with id '{run_id}'. `saas-export status` lists recent runs.")
        self.run_id = run_id
