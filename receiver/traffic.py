"""What arrived: every POST's arrival time and answer, so that a sender's rate limit and retries
can be checked from the receiving side (``GET /stats``)."""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import Counter


class Traffic:
    """POST arrivals (monotonic seconds) and the status each was answered with."""

    def __init__(self) -> None:
        self._arrivals: list[float] = []
        self._answers: Counter[int] = Counter()
        self._lock = threading.Lock()

    def record(self, arrived: float, status: int) -> None:
        with self._lock:
            self._arrivals.append(arrived)
            self._answers[status] += 1

    def stats(self) -> dict[str, object]:
        """Answers by status, and the most POSTs that arrived within any one second."""
        with self._lock:
            times, answers = sorted(self._arrivals), dict(self._answers)
        busiest = max((bisect_right(times, t + 0.999) - i for i, t in enumerate(times)), default=0)
        return {
            "posts": {str(status): count for status, count in sorted(answers.items())},
            "busiestSecond": busiest,
            "seconds": round(times[-1] - times[0], 3) if times else 0.0,
        }
