"""The performance-toolkit profiles (setup/performance-toolkit/profiles/ce/*.xml, 2.4.x).

Numbers are Magento's own so that a timing measured here compares with one measured on a real
toolkit catalog; docs/magento-schema.md §Profiles lists where each comes from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from exporters.sample_data.errors import BadProductCount, BadWebsiteCount, UnknownProfile

#: Options of the two configurable attributes: the toolkit's 3 image swatches × 8 options.
CONFIGURABLE_OPTIONS: tuple[int, int] = (3, 8)
VARIANTS_PER_CONFIGURABLE = CONFIGURABLE_OPTIONS[0] * CONFIGURABLE_OPTIONS[1]


@dataclass(frozen=True, slots=True)
class Profile:
    """What one toolkit profile generates; counts of stores include Magento's default rows."""

    name: str
    websites: int
    store_groups: int
    store_views: int
    assign_entities_to_all_websites: bool
    simple_products: int
    configurable_products: int
    categories: int
    categories_nesting_level: int
    attribute_sets: int
    attributes_per_set: int
    values_per_attribute: int
    orders: int
    product_images: int
    images_per_product: int = 3

    @property
    def variants(self) -> int:
        return self.configurable_products * VARIANTS_PER_CONFIGURABLE

    @property
    def product_rows(self) -> int:
        """Rows of catalog_product_entity: simples, configurables and their variants."""
        return self.simple_products + self.configurable_products * (1 + VARIANTS_PER_CONFIGURABLE)

    def with_products(self, products: int) -> Profile:
        """The profile scaled to ``products`` product rows, keeping its simple:configurable mix.

        A configurable costs 25 rows (itself and 24 variants); from 25 rows on there is always
        at least one, so a scaled catalog still has variants to export. Orders scale with the
        products (rounded up) so that a small test catalog is not dominated by its orders;
        stores, categories and attribute sets keep the profile's numbers.
        """
        if products < 1:
            raise BadProductCount(products)
        rows_per_configurable = 1 + VARIANTS_PER_CONFIGURABLE
        configurable_share = self.configurable_products * rows_per_configurable / self.product_rows
        configurables = int(products * configurable_share) // rows_per_configurable
        if products >= rows_per_configurable:
            configurables = max(1, configurables)
        simples = products - configurables * rows_per_configurable
        orders = math.ceil(self.orders * products / self.product_rows)
        return replace(self, simple_products=simples, configurable_products=configurables, orders=orders)

    def with_websites(self, websites: int) -> Profile:
        """The profile with ``websites`` websites, each with one store group and one store view."""
        if websites < 1:
            raise BadWebsiteCount(websites)
        return replace(self, websites=websites, store_groups=websites, store_views=websites)


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("small", 1, 1, 1, False, 800, 16, 30, 3, 10, 5, 5, 80, 100),
        Profile("medium", 3, 3, 3, True, 24_000, 640, 300, 3, 30, 10, 8, 50_000, 1_000),
        Profile("large", 5, 5, 5, True, 300_000, 8_000, 3_000, 5, 50, 20, 15, 100_000, 2_000),
        Profile("extra_large", 5, 5, 5, True, 600_000, 16_000, 6_000, 5, 100, 30, 15, 150_000, 2_000),
    )
}


def get_profile(name: str, products: int | None = None, websites: int | None = None) -> Profile:
    """The named profile, optionally scaled to a number of product rows and of websites."""
    profile = PROFILES.get(name)
    if profile is None:
        raise UnknownProfile(name, list(PROFILES))
    if products is not None:
        profile = profile.with_products(products)
    if websites is not None:
        profile = profile.with_websites(websites)
    return profile
