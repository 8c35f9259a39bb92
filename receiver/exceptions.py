"""The receiver's two kinds of error: one stops it from starting, the other is an HTTP answer."""

from __future__ import annotations

from collections.abc import Mapping

from exporters.exceptions import TerminalError


class ReceiverError(TerminalError):
    """The receiver cannot start as configured (database, key, address): the CLI prints one line."""


class Refused(Exception):
    """A request answered with ``status`` and ``{"message": ...}`` instead of being served.

    Raised where the reason is known (a gate, a fault, the intake) so that each of those modules
    stays free of Starlette's response types; the app turns it into the JSON answer.
    """

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
