"""Errors raised while reading a Magento database.

``SourceUnavailable`` is transient (the server may come back: retry); ``NotAMagentoDatabase``
is terminal (retrying cannot help: tell the operator what is missing).
"""

from __future__ import annotations

from exporters.db import DatabaseUnavailable
from exporters.exceptions import TerminalError
from exporters.source.schema import module_of


class SourceUnavailable(DatabaseUnavailable):
    """The source database could not answer now (down, connection lost, a lock): retry."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__("the Magento database", url, reason, "SAAS_EXPORT_SOURCE_DB")


class SourceSchemaMismatch(TerminalError):
    """The Magento database lacks tables or a column the feeds read: retrying cannot help.

    ``missing`` holds ``table NAME`` / ``column NAME`` entries; tables are named with the
    Magento module that declares them.
    """

    def __init__(self, url: str, missing: list[str]) -> None:
        described = [
            f"{entry} ({module_of(entry.removeprefix('table '))}, Magento 2.4)" if entry.startswith("table ") else entry
            for entry in missing
        ]
        super().__init__(
            f"the Magento database at {url} has no {', '.join(described)}. Point SAAS_EXPORT_SOURCE_DB "
            "at a complete Magento 2.4 database, or leave out the feeds that need it."
        )
        self.url = url
        self.missing = missing


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
