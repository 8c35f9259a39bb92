"""The one settings model. Everything the product reads from the environment is declared here."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from pydantic import AliasChoices, BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class FeedTuning(BaseModel):
    """Per-feed overrides from ``SAAS_EXPORT_FEEDS__<FEED>__BATCH_SIZE`` / ``__THREAD_COUNT``."""

    batch_size: Annotated[int, Field(gt=0)] | None = None
    thread_count: Annotated[int, Field(gt=0)] | None = None


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
    data_space_id: str = "default"
    api_key: SecretStr | None = None
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

    # The original system's switches keep their original, unprefixed names. EXPORTER_EXTENDED_LOG,
    # EXPORTER_PROFILER and EXPORTER_LOG_PROGRESS_INTERVAL arrive with the HTTP target and logging.
    persist_exported_feed: bool = Field(default=False, validation_alias=AliasChoices("PERSIST_EXPORTED_FEED"))

    def feed_tuning(self, feed: str) -> FeedTuning:
        """Overrides for one feed; keys are matched case-insensitively like feed names."""
        wanted = feed.lower()
        for name, tuning in self.feeds.items():
            if name.lower() == wanted:
                return tuning
        return FeedTuning()


class ConfigurationError(ValueError):
    """The environment holds a value the settings model refuses; the message names each one."""

    def __init__(self, error: ValidationError) -> None:
        problems = "; ".join(f"{_env_name(e['loc'])}: {e['msg']}" for e in error.errors(include_url=False))
        super().__init__(f"invalid configuration: {problems}. Fix the environment or .env file.")


def _env_name(loc: tuple[int | str, ...]) -> str:
    return "SAAS_EXPORT_" + "__".join(str(part).upper() for part in loc)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings; tests call ``get_settings.cache_clear()`` after changing the env."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigurationError(exc) from None
