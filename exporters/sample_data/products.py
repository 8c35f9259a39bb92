"""Simple, bundle and configurable products, written one product at a time.

Names and SKUs are the toolkit's (``product_dynamic_N``/``Simple Product N``/``simple-product-N``
and ``Configurable Product N``). Entity ids are sparse on purpose: small random gaps, as deleted
products leave, and one block of ``ID_BLOCK_GAP`` unused ids before the configurables, so that an
ID-range chunk can be empty. Website assignment follows the profile, except that a share of
products is on a subset of the websites and a few are on none. Every ``BUNDLE_EVERY``-th simple
product is written as a bundle instead (``bundle_product_N``), every other one of those with a
fixed price and weight, the rest dynamic: chosen by number, so the random draws stay the same.
A dynamic bundle keeps the stored price a bundle switched from fixed to dynamic keeps.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from random import Random

from exporters.sample_data.assignments import (
    write_category_links,
    write_configurable_links,
    write_links,
    write_rewrites,
    write_websites,
)
from exporters.sample_data.attribute_sets import Option
from exporters.sample_data.base import INSTALLED_AT, PRODUCT_ATTRIBUTE_SET_ID
from exporters.sample_data.context import Context
from exporters.sample_data.downloadable import is_downloadable, make_downloadable, write_downloadable
from exporters.sample_data.inventory import write_stock
from exporters.sample_data.media import write_media
from exporters.sample_data.model import CENT, Product, SimplePool, Special
from exporters.sample_data.options import has_custom_options, write_bundle_options, write_custom_options
from exporters.sample_data.overrides import write_store_overrides
from exporters.sample_data.pricing import (
    plan_tiers,
    write_configurable_index,
    write_price_index,
    write_tier_prices,
)
from exporters.sample_data.product_values import write_default_values, write_user_values
from exporters.sample_data.report import Progress
from exporters.source import schema as s

ID_GAP_SHARE, ID_GAP_MAX, ID_BLOCK_GAP = 0.02, 25, 1_000
NO_WEBSITE_SHARE, WEBSITE_SUBSET_SHARE = 0.02, 0.06
DISABLED_SHARE, VARIANT_DISABLED_SHARE, SPECIAL_SHARE, NO_TAX_CLASS_SHARE = 0.03, 0.04, 0.10, 0.02
PROGRESS_EVERY = 1_000
BUNDLE_EVERY = 50


class SparseIds:
    """Entity ids with gaps, as a catalog that has seen deletions has."""

    def __init__(self, rng: Random, first: int = 1) -> None:
        self._rng = rng
        self._next = first

    def next(self) -> int:
        if self._rng.random() < ID_GAP_SHARE:
            self._next += self._rng.randint(1, ID_GAP_MAX)
        entity_id = self._next
        self._next += 1
        return entity_id

    def skip(self, count: int) -> None:
        self._next += count


class ProductWriter:
    """Writes every row of one product before drawing the next, so memory does not grow with the
    catalog; the random draws happen in a fixed order, which is what makes a seed reproducible.
    """

    def __init__(self, ctx: Context, progress: Progress | None = None) -> None:
        self.ctx = ctx
        self.ids = SparseIds(ctx.rng)
        self.pool = SimplePool()
        self.progress = progress
        self.ordinal = 0
        self._all_websites = ctx.profile.assign_entities_to_all_websites

    def write_all(self) -> SimplePool:
        profile = self.ctx.profile
        for number in range(1, profile.simple_products + 1):
            self._simple(number)
        self.ids.skip(ID_BLOCK_GAP)
        for number in range(1, profile.configurable_products + 1):
            self._configurable(number)
        self._report(force=True)
        return self.pool

    # --- one product ---------------------------------------------------------------------------
    def _identity(self) -> tuple[int, int]:
        """The next entity id and creation ordinal (which fixes created_at)."""
        self.ordinal += 1
        self._report()
        return self.ids.next(), self.ordinal

    def _simple(self, number: int) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        sets = ctx.attributes.sets
        user_set = sets[(number - 1) % len(sets)] if sets else None
        price = _price(rng)
        entity_id, ordinal = self._identity()
        bundle = number % BUNDLE_EVERY == 0
        fixed_bundle = number % (2 * BUNDLE_EVERY) == 0
        p = Product(
            entity_id,
            ordinal,
            "bundle" if bundle else "simple",
            sku=f"bundle_product_{number}" if bundle else f"product_dynamic_{number}",
            name=f"Bundle Product {number}" if bundle else f"Simple Product {number}",
            url_key=f"bundle-product-{number}" if bundle else f"simple-product-{number}",
            attribute_set_id=user_set.attribute_set_id if user_set else PRODUCT_ATTRIBUTE_SET_ID,
            websites=self._websites(number),
            visibility=_visibility(rng),
            enabled=rng.random() >= DISABLED_SHARE,
            price=price,
            weight=_weight(rng),
            special=_special(rng, price),
            tax_class_id=0 if rng.random() < NO_TAX_CLASS_SHARE else 2,
            user_set=user_set,
            bundle_fixed=fixed_bundle,
        )
        if bundle and not fixed_bundle:
            p.weight = None  # a dynamic weight is the sum of the selections' weights
        if is_downloadable(number):
            make_downloadable(p, number)
        self._write_standalone(p)
        write_downloadable(ctx, p)
        tiers = plan_tiers(ctx, p)
        write_tier_prices(ctx, p, tiers)
        write_price_index(ctx, p, tiers)
        write_links(ctx, p, self.pool)
        if has_custom_options(number):
            write_custom_options(ctx, p, number)
        write_bundle_options(ctx, p, self.pool)
        self.pool.add(p)

    def _configurable(self, number: int) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        sku = f"Configurable Product {number}"
        entity_id, ordinal = self._identity()
        parent = Product(
            entity_id,
            ordinal,
            "configurable",
            sku=sku,
            name=sku,
            url_key=f"configurable-product-{number}",
            attribute_set_id=PRODUCT_ATTRIBUTE_SET_ID,
            websites=self._websites(number),
            visibility=2 if rng.random() < 0.05 else 4,
            enabled=rng.random() >= DISABLED_SHARE,
            price=None,
        )
        self._write_standalone(parent)
        base_price = _price(rng)
        swatch, size = ctx.attributes.configurable
        variants = [
            self._variant(parent, base_price + step, {swatch.attribute_id: color, size.attribute_id: dimension})
            for color in swatch.options
            for step, dimension in enumerate(size.options)
        ]
        write_configurable_links(ctx.writer, parent, (swatch, size), variants)
        write_configurable_index(ctx, parent, variants)

    def _variant(self, parent: Product, price: Decimal, options: dict[int, Option]) -> Product:
        """A not-visible child named after its parent and options ("Configurable Product 1-Red-XS")."""
        ctx, rng = self.ctx, self.ctx.rng
        suffix = "-".join(o.label for o in options.values())
        entity_id, ordinal = self._identity()
        variant = Product(
            entity_id,
            ordinal,
            "simple",
            sku=f"{parent.sku}-{suffix}",
            name=f"{parent.name}-{suffix}",
            url_key=f"{parent.url_key}-{suffix}".lower(),
            attribute_set_id=PRODUCT_ATTRIBUTE_SET_ID,
            websites=parent.websites,
            visibility=1,
            enabled=rng.random() >= VARIANT_DISABLED_SHARE,
            price=price,
            weight=_weight(rng),
            options={attribute_id: option.option_id for attribute_id, option in options.items()},
        )
        self._write_entity(variant)
        write_default_values(ctx, variant)
        write_websites(ctx, variant)
        write_stock(ctx, variant)
        write_price_index(ctx, variant, ())
        return variant

    def _write_standalone(self, p: Product) -> None:
        ctx = self.ctx
        self._write_entity(p)
        write_default_values(ctx, p)
        write_user_values(ctx, p)
        write_store_overrides(ctx, p)
        write_websites(ctx, p)
        write_category_links(ctx, p)
        write_rewrites(ctx, p)
        write_media(ctx, p)
        write_stock(ctx, p)

    def _write_entity(self, p: Product) -> None:
        created = INSTALLED_AT + timedelta(days=1, minutes=p.ordinal)
        updated = created + timedelta(days=self.ctx.rng.randint(1, 60)) if p.ordinal % 5 == 0 else created
        has_options = int(p.type_id in ("configurable", "bundle"))
        self.ctx.writer.add(
            s.catalog_product_entity,
            {
                "entity_id": p.entity_id,
                "attribute_set_id": p.attribute_set_id,
                "type_id": p.type_id,
                "sku": p.sku,
                "has_options": has_options,
                "required_options": has_options,
                "created_at": created,
                "updated_at": updated,
            },
        )

    def _websites(self, number: int) -> tuple[int, ...]:
        """All websites (medium and up) or one in turn (small), then the deliberate exceptions."""
        rng, websites = self.ctx.rng, self.ctx.base.websites
        chosen = websites if self._all_websites else (websites[(number - 1) % len(websites)],)
        roll = rng.random()
        if roll < NO_WEBSITE_SHARE:
            return ()
        if roll < NO_WEBSITE_SHARE + WEBSITE_SUBSET_SHARE and len(chosen) > 1:
            dropped = rng.randrange(len(chosen))
            return chosen[:dropped] + chosen[dropped + 1 :]
        return chosen

    def _report(self, force: bool = False) -> None:
        if self.progress is not None and (force or self.ordinal % PROGRESS_EVERY == 0):
            self.progress("products", self.ordinal)


def _price(rng: Random) -> Decimal:
    return Decimal(rng.randrange(1_000, 100_000)).scaleb(-2)


def _weight(rng: Random) -> Decimal:
    return Decimal(rng.randrange(1, 200)).scaleb(-1)


def _visibility(rng: Random) -> int:
    """Mostly "Catalog, Search"; a few not visible individually, catalog only or search only."""
    roll = rng.random()
    return 1 if roll < 0.03 else 2 if roll < 0.06 else 3 if roll < 0.09 else 4


def _special(rng: Random, price: Decimal) -> Special | None:
    """A special price on a share: running, not yet started, expired, or without dates."""
    if rng.random() >= SPECIAL_SHARE:
        return None
    special = (price * Decimal("0.8")).quantize(CENT)
    roll = rng.random()
    if roll < 0.5:
        return Special(special, INSTALLED_AT + timedelta(days=30), None)
    if roll < 0.6:
        return Special(special, INSTALLED_AT + timedelta(days=365), None)
    if roll < 0.8:
        return Special(special, INSTALLED_AT + timedelta(days=10), INSTALLED_AT + timedelta(days=60))
    return Special(special, None, None)
