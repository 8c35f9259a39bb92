"""One product as the writers see it while its rows are produced.

A Product lives only while its own rows are written; what later steps need from all
products (orders pick simple products, related links point back) is kept in SimplePool as
two compact arrays, so memory stays flat whatever the profile.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from exporters.sample_data.attribute_sets import ProductSet

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Special:
    """A special price with its optional date window (special_from_date/special_to_date)."""

    price: Decimal
    from_date: datetime | None
    to_date: datetime | None

    def active(self, at: datetime) -> bool:
        started = self.from_date is None or self.from_date <= at
        return started and (self.to_date is None or at <= self.to_date)


@dataclass(slots=True)
class Product:
    entity_id: int
    ordinal: int
    type_id: str
    sku: str
    name: str
    url_key: str
    attribute_set_id: int
    websites: tuple[int, ...]
    visibility: int
    enabled: bool
    price: Decimal | None
    weight: Decimal | None = None
    special: Special | None = None
    tax_class_id: int = 2
    user_set: ProductSet | None = None
    #: Configurable variants: option id per configurable attribute id.
    options: dict[int, int] = field(default_factory=dict)
    #: A bundle with a fixed price and weight (``price_type``/``weight_type`` 1); else dynamic.
    bundle_fixed: bool = False
    #: url_key overrides by store id, filled while the store values are written.
    store_url_keys: dict[int, str] = field(default_factory=dict)
    #: Categories the product was put in, in the order they were drawn.
    category_ids: list[int] = field(default_factory=list)

    @property
    def standalone(self) -> bool:
        """Not a configurable variant: it gets categories, media, overrides and the other extras."""
        return not self.options


class SimplePool:
    """Entity ids and prices (in cents) of the standalone simple products, in creation order."""

    def __init__(self) -> None:
        self.ids = array("q")
        self.cents = array("q")

    def add(self, product: Product) -> None:
        if product.price is None:
            return
        self.ids.append(product.entity_id)
        self.cents.append(int(product.price * 100))

    def __len__(self) -> int:
        return len(self.ids)

    def price(self, index: int) -> Decimal:
        return Decimal(self.cents[index]).scaleb(-2)
