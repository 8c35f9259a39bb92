"""The embedded default: a real Celery worker in this process, on the in-memory broker.

Tasks still travel as messages through kombu's ``memory://`` transport and results through the
``cache+memory://`` backend (chords count natively there); only the network is missing. The
worker has as many threads as the run's ``--thread-count``.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker

from tasks.app import app


@contextmanager
def embedded_worker(threads: int) -> Iterator[None]:
    # One thread per lane; the finalize callback only arrives once every lane has ended.
    with start_worker(
        app,
        concurrency=threads,
        pool="threads",
        perform_ping_check=False,
        loglevel="WARNING",
        hostname=f"embedded@{socket.gethostname()}",
        shutdown_timeout=30.0,
    ):
        yield
