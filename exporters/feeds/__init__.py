"""Feed definitions: identity, fields, schema, and how a range of source ids becomes items."""

from exporters.feeds.attributes import PRODUCT_ATTRIBUTES, build_attributes
from exporters.feeds.base import FeedSpec, customer_group_code
from exporters.feeds.categories import CATEGORIES, build_categories
from exporters.feeds.inventory import INVENTORY_STOCK_STATUS, build_inventory
from exporters.feeds.orders import ORDERS, build_orders
from exporters.feeds.overrides import PRODUCT_OVERRIDES, build_overrides
from exporters.feeds.permissions import CATEGORY_PERMISSIONS, build_permissions
from exporters.feeds.prices import PRICES, build_prices
from exporters.feeds.products import PRODUCTS, build_products
from exporters.feeds.registry import FEEDS, feed_names, get_feed
from exporters.feeds.scopes import SCOPES_CUSTOMER_GROUP, SCOPES_WEBSITE, build_customer_groups, build_websites
from exporters.feeds.validation import item_error, validate
from exporters.feeds.variants import VARIANTS, build_variants

__all__ = [
    "CATEGORIES",
    "CATEGORY_PERMISSIONS",
    "FEEDS",
    "INVENTORY_STOCK_STATUS",
    "ORDERS",
    "PRICES",
    "PRODUCTS",
    "PRODUCT_ATTRIBUTES",
    "PRODUCT_OVERRIDES",
    "SCOPES_CUSTOMER_GROUP",
    "SCOPES_WEBSITE",
    "VARIANTS",
    "FeedSpec",
    "build_attributes",
    "build_categories",
    "build_customer_groups",
    "build_inventory",
    "build_orders",
    "build_overrides",
    "build_permissions",
    "build_prices",
    "build_products",
    "build_variants",
    "build_websites",
    "customer_group_code",
    "feed_names",
    "get_feed",
    "item_error",
    "validate",
]
