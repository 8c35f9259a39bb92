"""Deterministic sample Magento 2.4 catalogs shaped like the performance toolkit's profiles.

``generate`` writes a whole catalog (the ``saas-export sample-data`` command);
``create_schema`` and ``install_base`` give tests an empty Magento install to build on.
"""

from exporters.sample_data.base import BaseIds, StoreViewIds, create_schema, drop_schema, install_base
from exporters.sample_data.errors import CatalogExists, DatabaseUnavailable, SampleDataError
from exporters.sample_data.generator import generate
from exporters.sample_data.profiles import PROFILES, Profile, get_profile
from exporters.sample_data.report import GenerationReport, Progress

__all__ = [
    "PROFILES",
    "BaseIds",
    "CatalogExists",
    "DatabaseUnavailable",
    "GenerationReport",
    "Profile",
    "Progress",
    "SampleDataError",
    "StoreViewIds",
    "create_schema",
    "drop_schema",
    "generate",
    "get_profile",
    "install_base",
]
