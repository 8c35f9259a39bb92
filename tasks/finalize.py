"""The chord callback: finalize a run from its chunk rows (not from the chord's results)."""

from __future__ import annotations

from typing import Any

from celery import Task

from exporters.runs import finalize_run
from tasks.app import app
from tasks.runtime import runtime

#: While chunks are still running (a redelivered chunk can outlive the chord), check again.
WAIT_INTERVAL = 2
WAIT_ATTEMPTS = 900


@app.task(name="tasks.finalize", bind=True, max_retries=WAIT_ATTEMPTS, ignore_result=False)
def finalize(self: Task, run_id: str) -> dict[str, Any]:
    run = finalize_run(runtime(), run_id)
    if run is None:
        raise self.retry(countdown=WAIT_INTERVAL)
    return {"run_id": run.run_id, "status": run.status, **run.counts.as_dict()}
