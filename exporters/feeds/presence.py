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


def present(item: Item, record: Record, seen: dict[tuple[int, int], Any] | None = None) -> Item:
    """``item`` as Adobe's transformer writes the feed's record (rule 1, then 2 and 3 below it).

    ``seen`` memoizes nested rows and records by identity across the items of one build:
    builders share one object among items (a product's attribute entries, category data), and
    walking each copy again cost more than building the item. The results are shared likewise;
    give a fresh dict per build, and keep the built items alive while it is used.
    """
    return _Walk({} if seen is None else seen).row(item, record)


#: Values that are never walked: most of an item. Exact types (``type(v) in``), because an
#: ``isinstance`` check against ``Mapping`` per value made ``present`` cost more than the build.
_SCALARS = frozenset({str, int, float, bool})


class _Walk:
    def __init__(self, seen: dict[tuple[int, int], Any]) -> None:
        self.seen = seen

    def row(self, row: Mapping[str, Any], record: Record) -> dict[str, Any]:
        """``convertComplexRow``: plain nulls are left out, provided fields are always there.

        A row with nothing to change is returned as it is, like ``cast`` does.
        """
        provided, fields = record.provided, record.fields
        changed: dict[str, Any] | None = None
        for key, value in row.items():
            if key in provided:
                new = self.provided(value, fields.get(key, PLAIN))
            elif value is None:
                new = _DROP
            elif type(value) in _SCALARS or (type(value) is list and value and _all_scalars(value)):
                continue  # the common case, without a call per value
            else:
                new = self.cast(value, fields.get(key, PLAIN))
            if new is not value:
                if changed is None:
                    changed = {}
                changed[key] = new
        if changed is None:
            return row if type(row) is dict else dict(row)
        out = {key: changed.get(key, value) for key, value in row.items()}
        return {key: value for key, value in out.items() if value is not _DROP}

    def provided(self, value: Any, record: Record) -> Any:
        """A provider's data for the item: its rows are converted row by row; nothing at all is null."""
        if value is None or (type(value) is list and not value):
            return None
        if type(value) is list:
            rows = [self.nested_row(v, record) if _is_mapping(v) else v for v in value]
            return value if all(new is old for new, old in zip(rows, value, strict=True)) else rows
        if _is_mapping(value):
            return self.nested_row(value, record)
        return value

    def nested_row(self, row: Mapping[str, Any], record: Record) -> dict[str, Any]:
        if not record.provided and type(row) is dict and _settled(row):
            return row  # nothing to leave out or cast: most rows, checked without a lookup
        key = (id(row), id(record))
        done = self.seen.get(key)
        if done is None:
            done = self.seen[key] = self.row(row, record)
        return done

    def cast(self, value: Any, record: Record) -> Any:
        """``castToFieldType``: empty lists are null; records keep their nulls unless ``skipNull``.

        What needs no change is returned as it is (most of an item): copying every nested list
        and record cost more than the rest of the walk.
        """
        kind = type(value)
        if kind in _SCALARS:
            return value
        if kind is list:
            if not value:
                return None
            cast = [v if type(v) in _SCALARS else self.cast(v, record) for v in value]
            return value if all(new is old for new, old in zip(cast, value, strict=True)) else cast
        if not _is_mapping(value):
            return value
        key = (id(value), id(record))
        if key in self.seen:
            return self.seen[key]
        skip_null, fields = record.skip_null, record.fields
        changed: dict[str, Any] = {}
        for name, inner in value.items():
            if inner is None:
                if skip_null:
                    changed[name] = _DROP
            elif type(inner) not in _SCALARS and not (type(inner) is list and inner and _all_scalars(inner)):
                new = self.cast(inner, fields.get(name, PLAIN))
                if new is not inner:
                    changed[name] = new
        out: Any = value
        if changed:
            out = {name: changed.get(name, inner) for name, inner in value.items() if changed.get(name) is not _DROP}
        if skip_null and not out:
            out = None
        self.seen[key] = out
        return out


def _settled(row: dict[str, Any]) -> bool:
    """Whether a row has no null, no empty list and nothing nested to walk."""
    for value in row.values():
        kind = type(value)
        if kind in _SCALARS:
            continue
        if kind is not list or not value or not _all_scalars(value):
            return False
    return True


def _is_mapping(value: Any) -> bool:
    return type(value) is dict or isinstance(value, Mapping)


def _all_scalars(values: list[Any]) -> bool:
    # A loop, not all() over a generator: this runs for every list of every item.
    for value in values:  # noqa: SIM110
        if type(value) not in _SCALARS:
            return False
    return True


#: Marks a key ``cast`` leaves out.
_DROP = object()


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
