"""Why a sample catalog could not be written, each message naming the fix.

All are terminal: running the same command again cannot succeed until the operator changes
an option, so the CLI prints the message as one line and exits with the usage code.
"""

from __future__ import annotations

from exporters.exceptions import TerminalError


class SampleDataError(TerminalError):
    """Base of every refusal of the sample catalog generator."""


class UnknownProfile(SampleDataError):
    def __init__(self, name: str, valid: list[str]) -> None:
        super().__init__(f"unknown sample-data profile '{name}'. Valid profiles: {', '.join(valid)}")
        self.name = name


class UnknownEdition(SampleDataError):
    def __init__(self, edition: str, valid: tuple[str, ...]) -> None:
        super().__init__(f"unknown edition '{edition}'. Valid editions: {', '.join(valid)}")
        self.edition = edition


class BadProductCount(SampleDataError):
    def __init__(self, products: int) -> None:
        super().__init__(
            f"--products must be at least 1 (got {products}); it counts every product row, "
            "configurable variants included"
        )
        self.products = products


class BadWebsiteCount(SampleDataError):
    def __init__(self, websites: int) -> None:
        super().__init__(f"a catalog needs at least 1 website besides the admin website (got {websites})")
        self.websites = websites


class DatabaseUnavailable(SampleDataError):
    """The target database cannot be reached or refused a statement."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"cannot write a sample catalog to {url}: {reason}. Check the URL given with --db (or "
            "SAAS_EXPORT_SOURCE_DB), that the server runs and that the database exists"
        )
        self.url = url
        self.reason = reason


class CatalogExists(SampleDataError):
    """The target already holds data we would overwrite or collide with."""

    def __init__(self, url: str, table: str, rows: int) -> None:
        what = (
            f"a catalog ({rows:,} products)"
            if table == "catalog_product_entity"
            else (f"Magento rows ({rows:,} in {table})")
        )
        super().__init__(
            f"{url} already holds {what}; pass --replace (replace=True) to drop the Magento tables "
            "and write a new sample catalog, or choose another database with --db"
        )
        self.url = url
        self.table = table
        self.rows = rows
