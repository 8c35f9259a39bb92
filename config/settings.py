"""The one settings model. Everything the product reads from the environment is declared here."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_DATA_SPACE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")


class FeedTuning(BaseModel):
    """Per-feed overrides from ``SAAS_EXPORT_FEEDS__<FEED>__BATCH_SIZE`` / ``__THREAD_COUNT`` /
    ``__SEND_BATCH_SIZE`` (items per request to an HTTP target)."""

    batch_size: Annotated[int, Field(gt=0)] | None = None
    thread_count: Annotated[int, Field(gt=0)] | None = None
    send_batch_size: Annotated[int, Field(gt=0, le=10_000)] | None = None


class Settings(BaseSettings):
    """Environment (and ``.env``) configuration, as the README's Configuration table lists it."""

    model_config = SettingsConfigDict(
        env_prefix="SAAS_EXPORT_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
        case_sensitive=False,
    )

    source_db: str = "sqlite:///var/catalog.sqlite"
    feed_db: str = "sqlite:///var/feeds.sqlite"
    broker_url: str | None = None
    result_backend: str | None = None
    target: str = "file://var/export"
    #: The Commerce Services data space (environment id); also a folder name of the file target.
    data_space_id: str = "default"
    api_key: SecretStr | None = None
    #: PEM file of the private key that signs each request's ``x-gw-signature`` JWT (RS256).
    private_key_file: Path | None = None
    #: The HTTP target: gzip request bodies, timeouts (seconds), attempts of a batch on a 5xx,
    #: a timeout or a connection error, and TLS verification (off only with a warning).
    http_gzip: bool = True
    http_connect_timeout: Annotated[float, Field(gt=0, le=300)] = 10.0
    http_read_timeout: Annotated[float, Field(gt=0, le=1200)] = 60.0
    http_attempts: Annotated[int, Field(ge=1, le=20)] = 5
    #: Requests one chunk keeps in flight: 1 unless the target is far away (latency-bound);
    #: on a target close by, more threads only share the same cores (docs/benchmarks.md).
    http_parallel: Annotated[int, Field(ge=1, le=32)] = 1
    http_verify_tls: bool = True
    #: Requests per second, and requests in flight, to the target across the whole cluster
    #: (kept in Redis when the result backend is Redis, else in this process). None: no limit.
    target_rate: Annotated[float, Field(gt=0, le=10_000)] | None = None
    target_concurrency: Annotated[int, Field(ge=1, le=1000)] | None = None
    feeds: dict[str, FeedTuning] = Field(default_factory=dict)
    #: Celery queue the chunk tasks go to, and RabbitMQ quorum queues for it (needs RabbitMQ >= 3.8).
    queue: str = "saas_export"
    quorum_queues: bool = False
    #: Per-task limits, kept below RabbitMQ's 30-minute consumer_timeout.
    task_soft_time_limit: Annotated[int, Field(gt=0, lt=1800)] = 1500
    task_time_limit: Annotated[int, Field(gt=0, lt=1800)] = 1680
    #: Retries of a chunk on a transient error (exponential backoff with full jitter, capped).
    chunk_max_retries: Annotated[int, Field(ge=0)] = 5
    retry_backoff_max: Annotated[int, Field(ge=0)] = 120
    #: Seconds a chunk's claim lasts without renewal (renewed every third of it while it works):
    #: a chunk whose worker died is taken over once its lease has run out.
    chunk_lease: Annotated[int, Field(ge=1, le=3600)] = 120
    #: Seconds a run and its feed lock last without a sign of life (planning, a chunk claimed or
    #: renewed, finalizing): another resync of the feed may take the lock over after that.
    run_lease: Annotated[int, Field(ge=1, le=86400)] = 600
    #: Seconds without any chunk activity after which a lane counts as stopped: the sweeper sends
    #: its next chunk again, and an attached CLI reports the run as making no progress.
    stall_after: Annotated[int, Field(ge=1, le=86400)] = 300
    #: How often celery beat runs the sweeper (seconds).
    sweep_interval: Annotated[float, Field(gt=0, le=3600)] = 60.0
    #: How often celery beat sends the failed items (status 2) of every feed again (seconds).
    retry_failed_interval: Annotated[float, Field(gt=0, le=86400)] = 300.0
    #: Accepted tombstones older than this many days are removed (celery beat, daily at 02:00 UTC).
    tombstone_max_age_days: Annotated[float, Field(gt=0, le=3650)] = 7.0
    #: Full resyncs on a cron expression per feed, ``SAAS_EXPORT_SCHEDULE__<FEED>="0 2 * * *"``
    #: (minute hour day-of-month month day-of-week, UTC); none by default (docs/cluster.md#schedules).
    schedule: dict[str, str] = Field(default_factory=dict)
    #: Share of a feed's accepted items a run may delete (tombstone) without --allow-mass-delete,
    #: and how many deletions are always allowed whatever the share (small feeds).
    mass_delete_share: Annotated[float, Field(ge=0, le=1)] = 0.2
    mass_delete_min: Annotated[int, Field(ge=0)] = 10
    #: The name this process records on runs, locks and chunk claims (default: the host name).
    node_name: Annotated[str, Field(min_length=1, max_length=255)] | None = None

    # The original system's switches keep their original, unprefixed names. EXPORTER_PROFILER and
    # EXPORTER_LOG_PROGRESS_INTERVAL arrive with logging.
    persist_exported_feed: bool = Field(default=False, validation_alias=AliasChoices("PERSIST_EXPORTED_FEED"))
    #: Log the payloads a ``--dry-run`` would send (docs/resync-options.md).
    exporter_extended_log: bool = Field(default=False, validation_alias=AliasChoices("EXPORTER_EXTENDED_LOG"))

    @field_validator("data_space_id")
    @classmethod
    def _plain_data_space(cls, value: str) -> str:
        if ".." in value or not _DATA_SPACE.fullmatch(value):
            raise ValueError(
                f"'{value}' is not a data space id: use 1-64 letters, digits, '_', '-' or '.', not starting with "
                "'.' and without '..' (it names a URL path segment and a folder of the file target)"
            )
        return value

    @field_validator("schedule")
    @classmethod
    def _cron_expressions(cls, value: dict[str, str]) -> dict[str, str]:
        for feed, expression in value.items():
            cron_fields(feed, expression)
        return {feed.lower(): expression.strip() for feed, expression in value.items()}

    @model_validator(mode="after")
    def _soft_limit_below_hard(self) -> Settings:
        if self.task_soft_time_limit >= self.task_time_limit:
            raise ValueError(
                f"SAAS_EXPORT_TASK_SOFT_TIME_LIMIT ({self.task_soft_time_limit}) must be below "
                f"SAAS_EXPORT_TASK_TIME_LIMIT ({self.task_time_limit}): the soft limit lets a chunk record "
                "its failure before the hard limit kills it"
            )
        return self

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """Passwords in URLs are masked wherever the settings are printed (reprs, tracebacks)."""
        for name, value in super().__repr_args__():
            yield name, _mask_url(value) if isinstance(value, str) and "://" in value else value

    @property
    def node(self) -> str:
        """The name runs, locks and chunk claims record for this process."""
        return self.node_name or socket.gethostname()

    def feed_tuning(self, feed: str) -> FeedTuning:
        """Overrides for one feed; keys are matched case-insensitively like feed names."""
        wanted = feed.lower()
        for name, tuning in self.feeds.items():
            if name.lower() == wanted:
                return tuning
        return FeedTuning()


def cron_fields(feed: str, expression: str) -> tuple[str, str, str, str, str]:
    """The five fields of a cron expression (minute hour day-of-month month day-of-week), checked."""
    from celery.schedules import crontab  # only when a schedule is configured

    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(
            f"the schedule of feed '{feed}' is '{expression}': give five cron fields, minute hour "
            "day-of-month month day-of-week, e.g. '0 2 * * *' for every day at 02:00 UTC"
        )
    minute, hour, day_of_month, month, day_of_week = fields
    try:
        crontab(minute, hour, day_of_week, day_of_month, month)
    except ValueError as exc:
        raise ValueError(
            f"the schedule of feed '{feed}' is '{expression}', not a cron expression ({exc}); e.g. '0 2 * * *'"
        ) from None
    return minute, hour, day_of_month, month, day_of_week


class ConfigurationError(ValueError):
    """The environment holds a value the settings model refuses; the message names each one."""

    def __init__(self, error: ValidationError) -> None:
        problems = "; ".join(_problem(e["loc"], e["msg"]) for e in error.errors(include_url=False))
        super().__init__(f"invalid configuration: {problems}. Fix the environment or .env file.")


def _problem(loc: tuple[int | str, ...], message: str) -> str:
    message = message.removeprefix("Value error, ")
    return f"{_env_name(loc)}: {message}" if loc else message


def _mask_url(url: str) -> str:
    """A URL with its password replaced by ``***`` (the settings read no database code)."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def _env_name(loc: tuple[int | str, ...]) -> str:
    return "SAAS_EXPORT_" + "__".join(str(part).upper() for part in loc)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings; tests call ``get_settings.cache_clear()`` after changing the env."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigurationError(exc) from None
