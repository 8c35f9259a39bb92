"""The chunk task: one id range of one run.

It never raises into the chord: item errors are in the counts, terminal errors are recorded on
the chunk row, and transient ones (a database or the target unreachable) retry with
exponential backoff and jitter until the last attempt, which records the chunk as failed.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.utils.time import get_exponential_backoff_interval

from config import get_settings
from exporters.exceptions import TransientError
from exporters.runs import fail_chunk, process_chunk
from tasks.app import app
from tasks.runtime import runtime

log = logging.getLogger(__name__)


@app.task(name="tasks.chunk", bind=True, max_retries=None, ignore_result=False)
def chunk(self: Task, run_id: str, seq: int) -> dict[str, Any]:
    rt = runtime()
    settings = get_settings()
    try:
        counts = process_chunk(rt, run_id, seq, worker=str(self.request.hostname))
    except TransientError as exc:
        if self.request.retries >= settings.chunk_max_retries:
            log.error("run %s chunk %s failed after %s attempts: %s", run_id, seq, self.request.retries + 1, exc)
            counts = fail_chunk(rt, run_id, seq, f"{exc} (gave up after {self.request.retries + 1} attempts)")
        else:
            countdown = get_exponential_backoff_interval(
                1, self.request.retries, settings.retry_backoff_max, full_jitter=True
            )
            log.warning("run %s chunk %s: %s; retrying in %ss", run_id, seq, exc, countdown)
            raise self.retry(exc=exc, countdown=countdown) from exc
    except Exception as exc:
        log.exception("run %s chunk %s failed", run_id, seq)
        counts = fail_chunk(rt, run_id, seq, f"{type(exc).__name__}: {exc}")
    return {"run_id": run_id, "seq": seq, **counts.as_dict()}
