"""Store configuration a shop sets after installing: what the products feed's store fields read.

Written after ``install_base`` (whose rows are a fresh install's), with no random draws, so a
seed's catalog stays the same otherwise:

- the low-stock threshold ``cataloginventory/options/stock_threshold_qty`` at the default scope,
  so products with less than ``LOW_STOCK_THRESHOLD`` in stock are ``lowStock``;
- the weight unit ``general/locale/weight_unit``: pounds by default, kilograms on website 2;
- the base (and display) currency ``currency/options/*``: euros on website 2, the one website
  that sells in another currency than the default dollars.

A profile with one website has no website 2, hence dollars and pounds everywhere.
"""

from __future__ import annotations

from typing import Any

from exporters.sample_data.base import BaseIds
from exporters.sample_data.writer import BatchWriter
from exporters.source import schema as s

LOW_STOCK_THRESHOLD = 5
OTHER_CURRENCY_WEBSITE, OTHER_CURRENCY, OTHER_WEIGHT_UNIT = 2, "EUR", "kgs"


def write_store_config(writer: BatchWriter, base: BaseIds) -> None:
    rows: list[tuple[str, int, str, str]] = [
        ("default", 0, "cataloginventory/options/stock_threshold_qty", str(LOW_STOCK_THRESHOLD)),
        ("default", 0, "general/locale/weight_unit", "lbs"),
    ]
    if OTHER_CURRENCY_WEBSITE in base.websites:
        rows += [
            ("websites", OTHER_CURRENCY_WEBSITE, path, OTHER_CURRENCY)
            for path in ("currency/options/base", "currency/options/default", "currency/options/allow")
        ]
        rows.append(("websites", OTHER_CURRENCY_WEBSITE, "general/locale/weight_unit", OTHER_WEIGHT_UNIT))
    for scope, scope_id, path, value in rows:
        row: dict[str, Any] = {
            "config_id": writer.next_id(s.core_config_data),
            "scope": scope,
            "scope_id": scope_id,
            "path": path,
            "value": value,
        }
        writer.add(s.core_config_data, row)
