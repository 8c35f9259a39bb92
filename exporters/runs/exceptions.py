"""Errors about runs and feed locks."""

from __future__ import annotations

from exporters.exceptions import ExportError, TerminalError


class FeedLocked(ExportError):
    """Another run holds the feed: one resync per feed at a time."""

    def __init__(self, feed: str, run_id: str, host: str, pid: int, since: str, lease_until: str | None) -> None:
        lease = f"; its lease runs until {lease_until} unless renewed" if lease_until else ""
        super().__init__(
            f"Feed sync skipped, resource occupied by another process: feed '{feed}' is held by run {run_id} "
            f"(host {host}, pid {pid}) since {since}{lease}. Wait for it to finish; if that run is stuck, "
            f"`saas-export runs cancel {run_id}` stops it and releases the feed."
        )
        self.feed = feed
        self.run_id = run_id


class RunNotFound(TerminalError):
    def __init__(self, run_id: str) -> None:
        super().__init__(f"no run with id '{run_id}'. `saas-export status` lists recent runs.")
        self.run_id = run_id


class ClaimLost(ExportError):
    """A chunk's claim is no longer current: another worker took it over after its lease ran out,
    or its run was cancelled or closed. The holder stops; nothing it did is recorded."""

    def __init__(self, run_id: str, seq: int) -> None:
        super().__init__(
            f"run {run_id} chunk {seq}: this worker's claim is no longer current (its lease ran out and another "
            "worker took the chunk, or the run was stopped); it stops without recording anything"
        )


class LiveChunks(TerminalError):
    """A run still has chunks being worked on: finalizing it by hand would cut them off."""

    def __init__(self, run_id: str, seqs: list[int]) -> None:
        shown = ", ".join(str(s) for s in seqs[:10]) + (" ..." if len(seqs) > 10 else "")
        super().__init__(
            f"run {run_id} has {len(seqs)} chunk(s) still being worked on ({shown}); wait for them, "
            f"or `saas-export runs cancel {run_id}`, or finalize anyway with --force"
        )


class MassDeleteRefused(TerminalError):
    """A run would tombstone more of the feed than the guard allows; nothing was deleted."""

    def __init__(self, feed: str, deletions: int, accepted: int, share: float, minimum: int) -> None:
        ratio = f" ({deletions / accepted:.0%})" if accepted else ""
        super().__init__(
            f"mass-delete guard: this run of {feed} would delete {deletions:,} item(s) of the feed's {accepted:,} "
            f"accepted{ratio}, more than the {share:.0%} allowed (SAAS_EXPORT_MASS_DELETE_SHARE; up to "
            f"{minimum} always allowed). Nothing was deleted and the feed table is as it was. If the source really "
            "lost them, run again with --allow-mass-delete; otherwise check the source database (an emptied "
            "catalog_product_website, store or catalog table empties a feed)."
        )
