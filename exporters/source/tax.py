"""Tax class names: the products feed names a product's tax class as Adobe's exporter does."""

from __future__ import annotations

from sqlalchemy import select

from exporters.source.schema import tax_class
from exporters.source.source import MagentoSource

#: What Adobe's ``TaxClassFormatter`` sends for a product without a known tax class (0 "None" included).
NO_TAX_CLASS = "no"
_MEMO_KEY = "tax_class.names"


def tax_class_names(source: MagentoSource) -> dict[str, str]:
    """``class_id`` (as the text EAV stores) -> ``class_name``, read once per source.

    A handful of rows that every product item refers to: reading them per chunk would cost a
    query per chunk for nothing, and the names enter the products' context digest.
    """
    names: dict[str, str] | None = source.memo.get(_MEMO_KEY)
    if names is None:
        t = tax_class
        with source.connect() as conn:
            names = {
                str(row.class_id): str(row.class_name) for row in conn.execute(select(t.c.class_id, t.c.class_name))
            }
        source.memo[_MEMO_KEY] = names
    return names


def tax_class_name(names: dict[str, str], value: object) -> str:
    """The name Adobe sends for a product's ``tax_class_id`` value: the class name, else ``"no"``."""
    if value is None:
        return NO_TAX_CLASS
    return names.get(str(value), NO_TAX_CLASS)
