"""Keeping a chunk's claim alive while it works, and noticing when it is gone."""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from exporters.runs.exceptions import ClaimLost
from exporters.runs.store import RunStore

log = logging.getLogger(__name__)


class LeaseKeeper:
    """Renews a chunk's claim (and its run's lease) every third of the lease, in a thread.

    When a renewal finds the claim gone (its lease ran out and another worker took the chunk
    over, or the run was cancelled or closed), ``check()`` raises ``ClaimLost``: the chunk calls
    it before each send, so a stale holder stops instead of sending twice.
    """

    def __init__(self, runs: RunStore, run_id: str, seq: int, token: str, *, lease: float, run_lease: float) -> None:
        self.runs, self.run_id, self.seq, self.token = runs, run_id, seq, token
        self.lease, self.run_lease = lease, run_lease
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._thread = threading.Thread(target=self._renew, name=f"lease-{run_id[:8]}-{seq}", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _renew(self) -> None:
        while not self._stop.wait(self.lease / 3):
            try:
                if not self.runs.renew(self.run_id, self.seq, self.token, lease=self.lease, run_lease=self.run_lease):
                    self._lost.set()
                    return
            except Exception as exc:  # a renewal that fails now may succeed next time; the lease is the judge
                log.warning("run %s chunk %s: could not renew its lease: %s", self.run_id, self.seq, exc)

    def check(self) -> None:
        if self._lost.is_set():
            raise ClaimLost(self.run_id, self.seq)
