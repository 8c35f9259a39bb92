"""The Celery app (``celery -A tasks worker``), configured only from ``config``."""

from __future__ import annotations

import sys

from celery import Celery

from config import ConfigurationError, celery_config, get_settings

try:
    _settings = get_settings()
except ConfigurationError as exc:  # the CLI and `celery -A tasks` both start here: one line, exit 2
    sys.stderr.write(f"error: {exc}\n")
    raise SystemExit(2) from None

app = Celery("saas_export")
app.config_from_object(celery_config(_settings))
