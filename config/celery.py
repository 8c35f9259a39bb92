"""The Celery configuration, derived from the settings (and nothing else).

With a broker URL: at-least-once delivery (late acks, requeue on a lost worker, prefetch 1,
publisher confirms), time limits below RabbitMQ's 30-minute consumer timeout, task events for
Flower. Without one: the embedded default, an in-memory broker and result backend that only
an in-process worker can use.
"""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

from config.settings import Settings, cron_fields

EMBEDDED_BROKER = "memory://localhost/"
EMBEDDED_BACKEND = "cache+memory://"
#: RabbitMQ's default consumer_timeout (30 min): a task running longer loses its channel.
RABBITMQ_CONSUMER_TIMEOUT = 1800


def is_embedded(settings: Settings) -> bool:
    return not settings.broker_url or settings.broker_url.startswith("memory://")


#: How often the rows legacy feeds collected are submitted (docs/change-detection.md#two-modes).
SUBMIT_LEGACY_EVERY = 300.0

#: When the accepted tombstones older than ``SAAS_EXPORT_TOMBSTONE_MAX_AGE_DAYS`` are removed (UTC).
PURGE_AT = crontab(minute="0", hour="2")


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """What celery beat sends: the sweeper (every run ends, docs/reliability.md), failed items again,
    the legacy feeds' submit, the purge of old accepted tombstones, and each feed's full resync on
    its cron expression."""
    schedule: dict[str, dict[str, Any]] = {
        "sweep": {"task": "tasks.sweep", "schedule": settings.sweep_interval},
        "retry-failed": {"task": "tasks.retry_failed", "schedule": settings.retry_failed_interval},
        "purge-tombstones": {"task": "tasks.purge_tombstones", "schedule": PURGE_AT},
        "submit-legacy": {"task": "tasks.submit_legacy", "schedule": SUBMIT_LEGACY_EVERY},
    }
    for feed, expression in sorted(settings.schedule.items()):
        minute, hour, day_of_month, month, day_of_week = cron_fields(feed, expression)
        schedule[f"resync-{feed}"] = {
            "task": "tasks.scheduled_resync",
            "schedule": crontab(minute, hour, day_of_week, day_of_month, month),
            "kwargs": {"feed": feed},
        }
    return schedule


def celery_config(settings: Settings) -> dict[str, Any]:
    broker = settings.broker_url or EMBEDDED_BROKER
    backend = settings.result_backend or (EMBEDDED_BACKEND if is_embedded(settings) else None)
    config: dict[str, Any] = {
        "broker_url": broker,
        "result_backend": backend,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": settings.queue,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_soft_time_limit": settings.task_soft_time_limit,
        "task_time_limit": settings.task_time_limit,
        "worker_send_task_events": True,
        "task_send_sent_event": True,
        "task_track_started": True,
        "result_extended": True,
        "result_expires": 86400,
        "broker_connection_retry_on_startup": True,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "worker_hijack_root_logger": False,
        "timezone": "UTC",
        "enable_utc": True,
        # `celery -A tasks beat`, one per cluster (docs/cluster.md#schedules).
        "beat_schedule": beat_schedule(settings),
    }
    if broker.startswith("memory://"):
        # kombu's virtual transports poll; the default 1 s would dominate a small run.
        config["broker_transport_options"] = {"polling_interval": 0.01}
    if broker.startswith(("amqp://", "pyamqp://", "amqps://")):
        config["broker_transport_options"] = {"confirm_publish": True}
        if settings.quorum_queues:
            config["task_default_queue_type"] = "quorum"
    return config
