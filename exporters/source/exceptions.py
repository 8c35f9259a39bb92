"""Errors raised while reading a Magento database.

``SourceUnavailable`` is transient (the server may come back: retry); ``NotAMagentoDatabase``
is terminal (retrying cannot help: tell the operator what is missing).
"""

from __future__ import annotations

from exporters.exceptions import TerminalError, TransientError, unreachable


class SourceUnavailable(TransientError):
    """The source database could not be reached."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(unreachable("the Magento database", url, reason, "SAAS_EXPORT_SOURCE_DB"))
        self.url = url


class NotAMagentoDatabase(TerminalError):
    """The database answers but does not hold a Magento 2.4 catalog."""

    def __init__(self, url: str, missing: list[str]) -> None:
        super().__init__(
            f"{url} is not a Magento 2.4 catalog database: missing table(s) {', '.join(missing)}. "
            "Point SAAS_EXPORT_SOURCE_DB at the Magento database, or create a sample catalog "
            "with `saas-export sample-data`."
        )
        self.url = url
        self.missing = missing
