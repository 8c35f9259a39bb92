"""The finalize task: close a run from its chunk rows. Sent once by the chunk that finished the
run's last chunk, and again by the sweeper when that message was lost; the run's finalizer
claim lets only one finalize work at a time."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval

from exporters.exceptions import TransientError
from exporters.runs import finalize_run
from tasks.app import app
from tasks.runtime import runtime, settings

log = logging.getLogger(__name__)

MAX_RETRIES = 100


@app.task(name="tasks.finalize", bind=True, max_retries=MAX_RETRIES, ignore_result=False)
def finalize(self: Task, run_id: str) -> dict[str, Any]:
    try:
        run = finalize_run(runtime(), run_id)
    except SoftTimeLimitExceeded as exc:  # the tombstones sent so far are recorded: go on where it stopped
        raise self.retry(exc=exc, countdown=1) from exc
    except TransientError as exc:
        countdown = get_exponential_backoff_interval(1, self.request.retries, settings().retry_backoff_max, True)
        log.warning("run %s: finalize failed for now (%s); retrying in %ss", run_id, exc, countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc
    if run is None:
        return {"run_id": run_id, "status": "not finalized: chunks unfinished, or another finalizer holds it"}
    return {"run_id": run.run_id, "status": str(run.status), **run.counts.as_dict()}
