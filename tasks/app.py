"""The Celery app (``celery -A tasks worker``), configured only from ``config``."""

from __future__ import annotations

from celery import Celery

from config import celery_config, get_settings

app = Celery("saas_export")
app.config_from_object(celery_config(get_settings()))
