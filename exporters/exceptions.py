"""The exporter's error tree.

    ExportError
    ├── TransientError      retry later: a server is down, a lock is busy
    └── TerminalError       retrying cannot help: record it and move on

Each message names what failed and what to do about it, so the CLI can print it as one line.
"""

from __future__ import annotations


class ExportError(Exception):
    """Base of every error the exporter raises on purpose."""


class TransientError(ExportError):
    """A failure that may pass: the caller should retry with backoff."""


class TerminalError(ExportError):
    """A failure that will not pass by retrying."""


class FeedNotAvailable(ExportError):
    """The feed reads a table this database does not have (an Adobe Commerce feed on Open Source).

    Not a failure: there is nothing to export, and the CLI says so and exits cleanly.
    """

    def __init__(self, feed: str, table: str, url: str) -> None:
        super().__init__(
            f"{feed} needs the Adobe Commerce table {table}, which {url} does not have "
            "(an Open Source database): nothing to export"
        )
        self.feed = feed


class UnknownFeed(TerminalError):
    """A feed name that is not one of ours."""

    def __init__(self, name: str, valid: list[str]) -> None:
        super().__init__(f"unknown feed '{name}'. Valid feeds: {', '.join(valid)}")
        self.name = name
        self.valid = valid


def unreachable(what: str, url: str, reason: str, setting: str, extra: str = "") -> str:
    """The one wording for "a server did not answer": which one, where, why, and what to check."""
    return f"cannot reach {what} at {url}: {reason}. Check {setting} and that the server is running{extra}."


def error_line(exc: BaseException) -> str:
    """The driver's own first line (SQLAlchemy's wrapped ``orig`` when there is one).

    Never SQLAlchemy's statement dump or its parameters: those are item data, and the
    statement can be long; neither belongs in a one-line error, a log or a run's report.
    """
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__
