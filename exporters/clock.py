"""The one clock and the one date format of the exporter.

Feeds write dates as ``YYYY-MM-DD HH:MM:SS`` in UTC, as the original feeds do; the feed
database keeps naive UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, datetime

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def now() -> datetime:
    """The current UTC time, naive (what the feed database columns hold)."""
    return datetime.now(UTC).replace(tzinfo=None)


def now_text() -> str:
    """The current UTC time as the feeds write it."""
    return datetime.now(UTC).strftime(DATETIME_FORMAT)


#: ``DateTimeInterface::RFC3339`` as PHP writes a UTC time: the dates Adobe's ``DateConverter`` sets.
RFC3339_FORMAT = "%Y-%m-%dT%H:%M:%S+00:00"


def now_rfc3339() -> str:
    """The current UTC time as Adobe writes the dates it sets itself (prices ``updatedAt``)."""
    return datetime.now(UTC).strftime(RFC3339_FORMAT)


def today_text() -> str:
    """Today's UTC date, ``YYYY-MM-DD`` (date windows such as special prices are compared by day)."""
    return datetime.now(UTC).strftime(DATETIME_FORMAT[:8])


def format_datetime(value: datetime | str | None) -> str | None:
    """A database date as the feeds write it, whatever the driver handed back."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite can hand back text for DATETIME columns
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime(DATETIME_FORMAT)
