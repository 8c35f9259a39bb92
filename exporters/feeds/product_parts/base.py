"""What a part of the products feed is: fields of an item read from their own Magento tables.

The products feed reads its core (entities, EAV values, categories, images, stock, relations)
in ``exporters/feeds/products.py``. Each group of further fields (options, links, URLs, ...)
is a part: it reads its rows for a range of products with a fixed number of bulk queries, says
which of those rows a product's items depend on (its fingerprint, so a change to them rebuilds
the product), and fills its fields into each store view's item. A part never sees another part.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection

from exporters.model import Item
from exporters.source import MagentoSource, StoreView
from exporters.source.eav import EntityValues


@dataclass(frozen=True, slots=True)
class ProductView:
    """One product at one store view, as a part sees it while the item is assembled."""

    #: The ``catalog_product_entity`` row: ``entity_id``, ``sku``, ``type_id``, ``created_at``, ``updated_at``.
    row: Any
    #: The product's EAV values (``resolve(values, attribute, view.store_id)`` gives the scoped one).
    values: EntityValues
    view: StoreView
    #: The item as the core built it (read only: a part returns its fields instead).
    item: Item


class PartRows(Protocol):
    """What a part read for one range of products."""

    def fingerprint(self, product_id: int) -> Hashable | list[Any] | dict[Any, Any] | None:
        """The rows this product's fields come from, as JSON-able values; equal rows, equal fields."""
        ...

    def fields(self, product: ProductView) -> Item:
        """The part's fields of the product's item at ``product.view``."""
        ...


class ProductPart(Protocol):
    """A group of products-feed fields and the tables they are read from."""

    #: Every Magento table the part reads (a resync checks them up front).
    reads: tuple[str, ...]

    def context(self, source: MagentoSource) -> Any:
        """What every product's fields depend on besides its own rows (configuration, labels), JSON-able;
        read once per source. A change to it rebuilds every product."""
        ...

    def read(self, conn: Connection, source: MagentoSource, lo: int, hi: int) -> PartRows:
        """The part's rows for products ``lo..hi`` (inclusive), in a fixed number of queries."""
        ...
