"""The feeds this exporter knows, looked up case-insensitively as ``saas:resync`` users type them."""

from __future__ import annotations

from exporters.exceptions import UnknownFeed
from exporters.feeds.attributes import PRODUCT_ATTRIBUTES
from exporters.feeds.base import FeedSpec
from exporters.feeds.categories import CATEGORIES
from exporters.feeds.inventory import INVENTORY_STOCK_STATUS
from exporters.feeds.orders import ORDERS
from exporters.feeds.overrides import PRODUCT_OVERRIDES
from exporters.feeds.permissions import CATEGORY_PERMISSIONS
from exporters.feeds.prices import PRICES
from exporters.feeds.products import PRODUCTS
from exporters.feeds.scopes import SCOPES_CUSTOMER_GROUP, SCOPES_WEBSITE
from exporters.feeds.variants import VARIANTS

#: In the recommended order of an initial sync (docs/original-system.md §Feeds).
FEEDS: dict[str, FeedSpec] = {
    spec.name: spec
    for spec in (
        PRODUCT_ATTRIBUTES,
        PRODUCTS,
        SCOPES_CUSTOMER_GROUP,
        SCOPES_WEBSITE,
        PRICES,
        PRODUCT_OVERRIDES,
        VARIANTS,
        CATEGORIES,
        CATEGORY_PERMISSIONS,
        INVENTORY_STOCK_STATUS,
        ORDERS,
    )
}


def feed_names() -> list[str]:
    return list(FEEDS)


def get_feed(name: str) -> FeedSpec:
    """The feed called ``name`` in any letter case; ``UnknownFeed`` lists the valid names."""
    wanted = name.strip().lower()
    for key, spec in FEEDS.items():
        if key.lower() == wanted:
            return spec
    raise UnknownFeed(name, feed_names())
