"""Reading a Magento 2.4 database: schema, scopes, EAV metadata and values."""

from exporters.source.exceptions import NotAMagentoDatabase, SourceSchemaMismatch, SourceUnavailable
from exporters.source.scopes import Scopes, StoreView, Website
from exporters.source.source import MagentoSource

__all__ = [
    "MagentoSource",
    "NotAMagentoDatabase",
    "Scopes",
    "SourceSchemaMismatch",
    "SourceUnavailable",
    "StoreView",
    "Website",
]
