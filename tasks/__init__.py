"""The Celery layer: the app, the resync planner, the chunk, finalize and sweep tasks, the CLI.

``celery -A tasks worker`` finds ``tasks.app``; importing this package registers every task.
"""

from tasks.app import app
from tasks.chunk import chunk
from tasks.dispatch import resync, start
from tasks.finalize import finalize
from tasks.sweep import sweep

__all__ = ["app", "chunk", "finalize", "resync", "start", "sweep"]
