"""The Celery layer: the app, the resync planner, the chunk, finalize and sweep tasks, the CLI.

``celery -A tasks worker`` finds ``tasks.app``; importing this package registers every task.
"""

from tasks.app import app
from tasks.chunk import chunk
from tasks.dispatch import resync, start
from tasks.finalize import finalize
from tasks.schedule import purge_tombstones, retry_failed, scheduled_resync
from tasks.sweep import sweep

__all__ = [
    "app",
    "chunk",
    "finalize",
    "purge_tombstones",
    "resync",
    "retry_failed",
    "scheduled_resync",
    "start",
    "sweep",
]
