"""The Celery app (``celery -A tasks worker``), configured from ``config`` when first needed.

Importing this module reads no setting: Celery asks for its configuration the first time it
needs one (a worker starting, a task being sent, ``celery call``), so ``saas-export --help``
works whatever the environment holds, and a bad value is reported by the command that needs it.
"""

from __future__ import annotations

import sys
from typing import Any

from celery import Celery
from celery.signals import celeryd_after_setup

from config import ConfigurationError, Settings, celery_config, get_settings


def _configuration() -> dict[str, Any]:
    try:
        return celery_config(get_settings())
    except ConfigurationError as exc:  # `celery -A tasks …` needs settings here: one line, exit 2
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(2) from None


app = Celery("saas_export")
app.add_defaults(_configuration)


def worker_problem(consumed: set[str], values: Settings) -> str | None:
    """Why a worker consuming ``consumed`` cannot serve the runs, or None."""
    if not values.broker_url or values.broker_url.startswith("memory://"):
        return "a worker needs a broker: set SAAS_EXPORT_BROKER_URL (e.g. amqp://user:password@host:5672//)"
    if not values.result_backend:
        return (
            "SAAS_EXPORT_RESULT_BACKEND is not set: set a result backend (e.g. redis://127.0.0.1:6379/0) so task "
            "results reach `celery call` and Flower"
        )
    if values.queue not in consumed:
        return (
            f"this worker consumes {', '.join(sorted(consumed))} but the runs' tasks go to '{values.queue}' "
            f"(SAAS_EXPORT_QUEUE): start it with -Q {values.queue}, or set SAAS_EXPORT_QUEUE to match"
        )
    return None


@celeryd_after_setup.connect
def _check_worker(sender: str, instance: Any, conf: Any, **_: Any) -> None:
    """`celery -A tasks worker` refuses, in one line, a setup that would strand tasks."""
    problem = worker_problem(set(instance.app.amqp.queues.consume_from), get_settings())
    if problem is not None:
        sys.stderr.write(f"error: {problem}\n")
        raise SystemExit(2)
