"""Deterministic sample Magento 2.4 catalogs shaped like the performance toolkit's profiles."""

from exporters.sample_data.base import BaseIds, StoreView, create_schema, drop_schema, install_base

__all__ = ["BaseIds", "StoreView", "create_schema", "drop_schema", "install_base"]
