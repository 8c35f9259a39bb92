"""The sweeper task, run by celery beat every ``SAAS_EXPORT_SWEEP_INTERVAL`` seconds."""

from __future__ import annotations

from typing import Any

from exporters.runs import sweep as sweep_runs
from tasks.app import app
from tasks.runtime import runtime
from tasks.sending import CelerySender


@app.task(name="tasks.sweep", ignore_result=False)
def sweep() -> dict[str, Any]:
    report = sweep_runs(runtime(), CelerySender())
    return {"finalized": report.finalized, "resent": report.resent, "replanned": report.replanned}
