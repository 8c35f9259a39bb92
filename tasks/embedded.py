"""The embedded default: Celery's own worker in this process, on the in-memory broker.

Tasks still travel as messages through kombu's ``memory://`` transport and results through the
``cache+memory://`` backend; only the network is missing. The
worker is Celery's ``WorkController`` on the thread pool, with as many threads as the run's
``--thread-count``, started in a thread of its own and stopped (warm) when the runs end.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery.worker import WorkController

from tasks.app import app

#: How long the worker may take to connect to the in-memory broker, and to finish on exit.
START_TIMEOUT = 30.0
STOP_TIMEOUT = 60.0


class EmbeddedWorkerFailed(RuntimeError):
    def __init__(self, what: str) -> None:
        super().__init__(f"the embedded Celery worker {what}; run with a broker (SAAS_EXPORT_BROKER_URL) instead")


class _Worker(WorkController):  # type: ignore[misc]
    """A WorkController that says when its consumer is ready to take tasks."""

    def __init__(self, **kwargs: Any) -> None:
        self.consuming = threading.Event()
        super().__init__(**kwargs)

    def on_consumer_ready(self, consumer: Any) -> None:
        self.consuming.set()


@contextmanager
def embedded_worker(threads: int) -> Iterator[None]:
    # The pool's threads have no current app of their own: a lane's next chunk and the finalize
    # are sent through the default app, which must be this one (not a fresh amqp:// app).
    app.set_default()
    # One thread per lane; the finalize callback only arrives once every lane has ended.
    worker = _Worker(
        app=app,
        hostname=f"embedded@{socket.gethostname()}",
        pool="threads",
        concurrency=threads,
        loglevel="WARNING",
        without_heartbeat=True,
        without_mingle=True,
        without_gossip=True,
    )
    thread = threading.Thread(target=worker.start, name="embedded-celery-worker", daemon=True)
    thread.start()
    if not worker.consuming.wait(START_TIMEOUT):
        worker.stop()
        raise EmbeddedWorkerFailed(f"did not start within {START_TIMEOUT:.0f} s")
    try:
        yield
    finally:
        worker.stop()
        thread.join(STOP_TIMEOUT)
        if thread.is_alive():
            raise EmbeddedWorkerFailed(f"did not stop within {STOP_TIMEOUT:.0f} s")
