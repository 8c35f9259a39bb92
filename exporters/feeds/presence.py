"""Which fields an item carries, and which are null, as Adobe's ``Transformer`` writes them.

Adobe builds every item through ``DataExporter/Export/Transformer.php`` (commerce-data-export,
commit d6da4e6b54d1b52247a8dd8fb7f6dc0a2d9c1d71), which walks the record declared in
``etc/et_schema.xml`` and decides presence by three rules:

1. **A record converted row by row** (``convertComplexRow``: the feed's own record, and the rows
   of every field that has a provider of its own) leaves out each plain field whose value is
   null (``isset``). A field with a provider of its own is always there: null when its
   provider had nothing for the item.
2. **A nested record cast in place** (``castToFieldType``: a plain field whose type is a record)
   keeps its null fields as null, unless the record is declared ``skipNull="true"``; then they
   are left out, and a record left with nothing is null.
3. **An empty list**, at any depth, is null: the repeated cast never runs and leaves its result
   null. The field stays (rule 1 looks at the value before the cast, and ``[]`` is set).

``deleted`` and ``modifiedAt`` are added after the transform and are never null. Tombstones
are not transformed: they are the stored minimal payload plus ``deleted``.

``present(item, RECORDS[feed])`` applies the rules to one built item. It is pure: it returns a
new item and never changes ``item``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from exporters.model import Item


@dataclass(frozen=True)
class Record:
    """One et_schema record, as far as presence goes."""

    #: Fields with a provider of their own: always present, null when the provider had nothing.
    provided: frozenset[str] = frozenset()
    #: Declared ``skipNull="true"``: null fields are left out when the record is cast in place.
    skip_null: bool = False
    #: The record types of fields that hold records (lists of records too), by field name.
    fields: Mapping[str, Record] = field(default_factory=dict)


PLAIN = Record()


def present(item: Item, record: Record) -> Item:
    """``item`` as Adobe's transformer writes the feed's record (rule 1, then 2 and 3 below it)."""
    return _row(item, record)


def _row(row: Mapping[str, Any], record: Record) -> dict[str, Any]:
    """``convertComplexRow``: plain nulls are left out, provided fields are always there."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        sub = record.fields.get(key, PLAIN)
        if key in record.provided:
            out[key] = _provided(value, sub)
        elif value is not None:
            out[key] = _cast(value, sub)
    return out


def _provided(value: Any, record: Record) -> Any:
    """A provider's data for the item: its rows are converted row by row; nothing at all is null."""
    if value is None or (isinstance(value, list) and not value):
        return None
    if isinstance(value, list):
        return [_row(v, record) if isinstance(v, Mapping) else v for v in value]
    if isinstance(value, Mapping):
        return _row(value, record)
    return value


def _cast(value: Any, record: Record) -> Any:
    """``castToFieldType``: empty lists are null; records keep their nulls unless ``skipNull``."""
    if isinstance(value, list):
        return [_cast(v, record) for v in value] or None
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    for key, inner in value.items():
        if inner is None:
            if not record.skip_null:
                out[key] = None
            continue
        out[key] = _cast(inner, record.fields.get(key, PLAIN))
    if record.skip_null and not out:
        return None
    return out


def _provides(*names: str, **records: Record) -> Record:
    """A record whose ``names`` (and the keys of ``records``) have providers of their own."""
    return Record(provided=frozenset(names) | frozenset(records), fields=records)


_ADDRESS = _provides("multiLineStreet")

#: Each feed's record, read from the et_schema.xml files of commerce-data-export at the commit
#: above (fields with ``provider=`` and records with ``skipNull``). productOverrides and
#: categoryPermissions are Adobe Commerce modules whose et_schema is not public:
#: categoryPermissions' ``permission`` is taken to be ``skipNull`` because Adobe's integration
#: test finds one key in a global item's permission and ``null`` in a deleted one.
RECORDS: Mapping[str, Record] = {
    "products": _provides(
        "attributes",
        "buyable",
        "categoryData",
        "currency",
        "displayable",
        "images",
        "inStock",
        "links",
        "lowStock",
        "media_gallery",
        "optionsV2",
        "parents",
        "samples",
        "shopperInputOptions",
        "url",
        "urlRewrites",
        "variants",
        "videos",
        "weightUnit",
    ),
    "productAttributes": PLAIN,
    "categories": _provides("image", "children", "defaultSortBy", "availableSortBy"),
    "variants": PLAIN,
    "prices": Record(
        provided=frozenset({"updatedAt"}),
        fields={"discounts": Record(skip_null=True), "tierPrices": Record(skip_null=True)},
    ),
    "inventoryStockStatus": _provides("qtyForSale", "infiniteStock"),
    "productOverrides": PLAIN,
    "categoryPermissions": Record(fields={"permission": Record(skip_null=True)}),
    "scopesWebsite": _provides(stores=_provides("storeViews")),
    "scopesCustomerGroup": _provides("websites"),
    "orders": _provides(
        "createdAt",
        "state",
        "updatedAt",
        "additionalInformation",
        orderId=PLAIN,
        externalId=PLAIN,
        payment=_provides(billingAddress=_ADDRESS),
        shipping=_provides(shippingAddress=_ADDRESS),
        items=_provides("itemId", "itemsShippedTogether", "productSku", "updatedAt", "additionalInformation"),
        invoices=_provides("createdAt", invoiceItems=_provides("orderItemId")),
        creditMemos=_provides(
            "creditMemoId",
            "createdAt",
            "creditMemoComments",
            "refundTaxes",
            refundItems=_provides("orderItemId", "baseRowTotal", "productTaxes"),
        ),
        transactions=_provides("createdAt"),
        shipments=_provides(
            "shipmentId",
            "createdAt",
            "updatedAt",
            trackingInfo=_provides("trackingUrl"),
            items=_provides("orderItemId"),
        ),
    ),
}
