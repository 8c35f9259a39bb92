"""Store-view fields of a product: what a shopper at one store view may do with it, and in what units.

Adobe's exporter fills these from the item itself (``displayable``, ``buyable``, the deprecated
``categories``), from store-scoped configuration (``currency``, ``weightUnit``, the low-stock
threshold) and from a few bundle attributes and the default stock's quantity:

- ``displayable``: status Enabled and visibility Catalog, Search or "Catalog, Search"
  (``CatalogDataExporter/Model/Provider/Product/Displayable.php``);
- ``buyable``: status Enabled and in stock (``Provider/Product/Buyable.php`` with
  ``CatalogInventoryDataExporter``'s ``Plugin/Buyable.php``: out of stock makes it false);
- ``lowStock``: the default stock's quantity below ``cataloginventory/options/stock_threshold_qty``
  at the store view (``CatalogInventoryDataExporter/Model/Provider/Product/LowStock.php``);
- ``currency``: ``currency/options/base`` at the store view (``Provider/Product/Currency.php``);
- ``weightUnit``: ``general/locale/weight_unit`` at the store view, only for a product with a
  weight (``Provider/Product/WeightUnit.php``);
- ``priceView``: the bundle's ``price_view`` through Adobe's enum (0 ``price_range``, 1 ``as_low_as``);
- ``weightType``: the bundle's ``weight_type`` as stored ("0" dynamic, "1" fixed): Adobe maps it
  through no enum;
- ``categories``: the ``categoryPath`` of each ``categoryData`` entry (Adobe's ``Product/Categories.php``;
  its transformer casts a null path of this repeated String to "").
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from exporters.feeds.product_parts.base import PartRows, ProductView
from exporters.model import Item
from exporters.source import MagentoSource
from exporters.source.eav import Attribute, EntityValues, load_values, resolve
from exporters.source.schema import cataloginventory_stock_status, id_between

BASE_CURRENCY = "currency/options/base"
WEIGHT_UNIT = "general/locale/weight_unit"
STOCK_THRESHOLD = "cataloginventory/options/stock_threshold_qty"
#: Magento's ``config.xml`` defaults (Magento_Directory, Magento_CatalogInventory), used when no
#: ``core_config_data`` row sets the path at the store view, its website or the default scope.
DEFAULT_CURRENCY, DEFAULT_WEIGHT_UNIT, DEFAULT_THRESHOLD = "USD", "lbs", 0.0
DISPLAYABLE_VISIBILITIES = frozenset({"Catalog", "Search", "Catalog, Search"})
#: Adobe's ``SystemEnumFormatter`` map for ``priceView``; any other value is sent as null.
PRICE_VIEW = {"0": "price_range", "1": "as_low_as"}
STOCK_ID = 1
_MEMO_KEY = "product_parts.store_fields"


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """The configuration one store view's items depend on."""

    currency: str
    weight_unit: str
    threshold: float


def _threshold(value: str | None) -> float:
    """PHP's ``(float)`` of the configured threshold: a value that is not a number counts as 0."""
    try:
        return float(value) if value is not None else DEFAULT_THRESHOLD
    except ValueError:
        return DEFAULT_THRESHOLD


def store_config(source: MagentoSource) -> dict[int, StoreConfig]:
    """Each store view's configuration, resolved store -> website -> default once per source."""
    config: dict[int, StoreConfig] | None = source.memo.get(_MEMO_KEY)
    if config is None:
        config = {
            store_id: StoreConfig(
                currency=source.config_value(BASE_CURRENCY, store_id) or DEFAULT_CURRENCY,
                weight_unit=source.config_value(WEIGHT_UNIT, store_id) or DEFAULT_WEIGHT_UNIT,
                threshold=_threshold(source.config_value(STOCK_THRESHOLD, store_id)),
            )
            for store_id in source.scopes.store_ids
        }
        source.memo[_MEMO_KEY] = config
    return config


def is_low_stock(quantity: Decimal | None, threshold: float) -> bool:
    """Adobe's ``quantity < threshold`` with PHP's comparison: a product without a stock row has
    no quantity, and PHP compares null with a number as booleans, so it is low exactly when the
    threshold is not 0."""
    if quantity is None:
        return threshold != 0
    return float(quantity) < threshold


class StoreFieldRows:
    """One range's default-stock quantities and bundle display attributes."""

    def __init__(
        self,
        config: dict[int, StoreConfig],
        quantities: dict[int, Decimal],
        values: dict[int, EntityValues],
        price_view: Attribute | None,
        weight_type: Attribute | None,
    ) -> None:
        self.config = config
        self.quantities = quantities
        self.values = values
        self.price_view = price_view
        self.weight_type = weight_type

    def fingerprint(self, product_id: int) -> Hashable | list[Any] | dict[Any, Any] | None:
        quantity = self.quantities.get(product_id)
        return [None if quantity is None else str(quantity), self.values.get(product_id)]

    def fields(self, product: ProductView) -> Item:
        item, store_id = product.item, product.view.store_id
        config = self.config[store_id]
        enabled = item.get("status") == "Enabled"
        values = self.values.get(int(product.row.entity_id), {})
        price_view = None if self.price_view is None else resolve(values, self.price_view, store_id)
        weight_type = None if self.weight_type is None else resolve(values, self.weight_type, store_id)
        fields: Item = {
            "displayable": enabled and item.get("visibility") in DISPLAYABLE_VISIBILITIES,
            "buyable": enabled and bool(item.get("inStock")),
            "lowStock": is_low_stock(self.quantities.get(int(product.row.entity_id)), config.threshold),
            "currency": config.currency,
            "weightUnit": None if item.get("weight") is None else config.weight_unit,
            "priceView": None if price_view is None else PRICE_VIEW.get(str(price_view)),
            "weightType": None if weight_type is None else str(weight_type),
        }
        # Adobe adds the deprecated ``categories`` after its transform, and only where the item
        # has ``categoryData`` (Provider/Product/Categories.php): no categories, no field.
        if item.get("categoryData"):
            fields["categories"] = [
                "" if entry["categoryPath"] is None else entry["categoryPath"] for entry in item["categoryData"]
            ]
        return fields


class StoreFields:
    """``displayable``, ``buyable``, ``lowStock``, ``currency``, ``weightUnit``, ``priceView``,
    ``weightType`` and the deprecated ``categories``."""

    reads: tuple[str, ...] = ("core_config_data", "cataloginventory_stock_status")

    def context(self, source: MagentoSource) -> Any:
        return sorted(
            (store_id, c.currency, c.weight_unit, c.threshold) for store_id, c in store_config(source).items()
        )

    def read(self, conn: Connection, source: MagentoSource, lo: int, hi: int) -> PartRows:
        attrs = source.product_attributes
        price_view, weight_type = attrs.get("price_view"), attrs.get("weight_type")
        codes = [a.code for a in (price_view, weight_type) if a is not None]
        values = (
            load_values(conn, source.edition, "product", attrs.ids_by_backend(codes), source.scopes.store_ids, lo, hi)
            if codes
            else {}
        )
        return StoreFieldRows(store_config(source), _quantities(conn, lo, hi), values, price_view, weight_type)


STORE_FIELDS = StoreFields()


def _quantities(conn: Connection, lo: int, hi: int) -> dict[int, Decimal]:
    """The default stock's quantity per product, from the row ``inStock`` is read from (website 0
    wins over a per-website row, as in the products core)."""
    s = cataloginventory_stock_status
    quantities: dict[int, Decimal] = {}
    for product_id, qty in conn.execute(
        select(s.c.product_id, s.c.qty)
        .where(id_between(s.c.product_id, lo, hi), s.c.stock_id == STOCK_ID)
        .order_by(s.c.website_id.desc())
    ):
        quantities[int(product_id)] = qty
    return quantities
