"""Settings: the one place the environment is read, and what is derived from it."""

from config.celery import celery_config, is_embedded
from config.feeds import FEED_DEFAULTS, FeedDefaults, resolve_tuning
from config.settings import ConfigurationError, FeedTuning, Settings, get_settings

__all__ = [
    "FEED_DEFAULTS",
    "ConfigurationError",
    "FeedDefaults",
    "FeedTuning",
    "Settings",
    "celery_config",
    "get_settings",
    "is_embedded",
    "resolve_tuning",
]
