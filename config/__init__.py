"""Settings: the one place the environment is read."""

from config.settings import FeedTuning, Settings, get_settings

__all__ = ["FeedTuning", "Settings", "get_settings"]
