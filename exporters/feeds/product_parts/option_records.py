"""The ``ProductOption``/``ProductOptionValue`` records as Adobe's transformer writes them.

Adobe's ``DataExporter/Export/Transformer.php`` writes an option (a row of a top-level field) with
its declared fields in declaration order, leaving out the unset (null) ones, but every nested
record (an option's ``values``, a ``range``) with all its declared fields, null included; an
empty list becomes null. These helpers produce exactly that, so each option reader only says
where its values come from.
"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import ColumnElement, Table

from exporters.source.edition import Edition

#: ``ProductOption``'s fields in et_schema.xml order.
OPTION_FIELDS = ("id", "label", "sortOrder", "required", "renderType", "type", "swatchType", "values")
#: ``ProductOptionValue``'s fields in et_schema.xml order (``priceType`` declared by the bundle module).
VALUE_FIELDS = (
    "id",
    "label",
    "sortOrder",
    "isDefault",
    "colorHex",
    "imageUrl",
    "customSwatchValue",
    "qtyMutability",
    "qty",
    "infoUrl",
    "sku",
    "price",
    "priceType",
)


def uid(*parts: object) -> str:
    """Adobe's option value uid: base64 of the parts joined with ``/`` (``configurable/93/49``)."""
    return base64.b64encode("/".join(str(p) for p in parts).encode()).decode()


def option(**fields: Any) -> dict[str, Any]:
    """A ``ProductOption`` in declared order without its null fields.

    Given values that are an empty list (or None), ``values`` is there as null: Adobe's providers
    set a list, which the transformer keeps as a field and casts, empty, to null.
    """
    made = {name: fields[name] for name in OPTION_FIELDS if fields.get(name) is not None}
    if "values" in fields and not fields["values"]:
        made["values"] = []  # the presence rules (exporters/feeds/presence.py) send it as null
    return made


def value(**fields: Any) -> dict[str, Any]:
    """A ``ProductOptionValue`` with every declared field, the ones not given null."""
    return {name: fields.get(name) for name in VALUE_FIELDS}


def as_float(raw: Any) -> float | None:
    return None if raw is None else float(raw)


def as_int(raw: Any) -> int | None:
    return None if raw is None else int(raw)


def as_text(raw: Any) -> str | None:
    return None if raw is None else str(raw)


def link_column(edition: Edition, table: Table) -> ColumnElement[int]:
    """The column of a product value table that points at the product's link field."""
    return table.c.row_id if edition.staged else table.c.entity_id
