"""The Celery app (``celery -A tasks worker``), configured from ``config`` when first needed.

Importing this module reads no setting: Celery asks for its configuration the first time it
needs one (a worker starting, a task being sent, ``celery call``), so ``saas-export --help``
works whatever the environment holds, and a bad value is reported by the command that needs it.
"""

from __future__ import annotations

import sys
from typing import Any

from celery import Celery

from config import ConfigurationError, celery_config, get_settings


def _configuration() -> dict[str, Any]:
    try:
        return celery_config(get_settings())
    except ConfigurationError as exc:  # `celery -A tasks …` needs settings here: one line, exit 2
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(2) from None


app = Celery("saas_export")
app.add_defaults(_configuration)
