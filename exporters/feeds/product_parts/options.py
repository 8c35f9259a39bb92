"""The products feed's ``optionsV2`` and ``shopperInputOptions``.

Adobe's ``ProductOptions`` provider concatenates its option providers in registration order:
selectable custom options first, then downloadable links, grouped products' children, and the
configurable and bundle modules' options; ``shopperInputOptions`` are the entered custom
options. A product without any has ``null`` (Adobe sends empty lists as null).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from exporters.feeds.product_parts import bundle_options, configurable_options, custom_options, linked_options
from exporters.feeds.product_parts.base import ProductView
from exporters.model import Item
from exporters.source import MagentoSource


@dataclass(slots=True)
class OptionRows:
    custom: custom_options.CustomRows
    configurable: configurable_options.ConfigurableRows
    bundle: bundle_options.BundleRows
    linked: linked_options.LinkedRows

    def fingerprint(self, product_id: int) -> list[Any]:
        return [
            self.custom.fingerprint(product_id),
            self.configurable.fingerprint(product_id),
            self.bundle.fingerprint(product_id),
            self.linked.fingerprint(product_id),
        ]

    def fields(self, product: ProductView) -> Item:
        product_id, view = int(product.row.entity_id), product.view
        downloadable, grouped = self.linked.options_of(product_id, view)
        options = [
            *self.custom.selectable(product_id, view),
            *downloadable,
            *grouped,
            *self.configurable.options(product_id, view),
            *self.bundle.options_of(product_id, view),
        ]
        entered = self.custom.entered(product_id, view)
        return {"optionsV2": options or None, "shopperInputOptions": entered or None}


class OptionsPart:
    """``optionsV2`` and ``shopperInputOptions``; the super attributes' labels and swatches are context."""

    reads: tuple[str, ...] = (
        *custom_options.READS,
        *configurable_options.READS,
        *bundle_options.READS,
        *linked_options.READS,
    )

    def context(self, source: MagentoSource) -> Any:
        return configurable_options.configurable_context(source)

    def read(self, conn: Connection, source: MagentoSource, lo: int, hi: int) -> OptionRows:
        return OptionRows(
            custom=custom_options.read_custom(conn, source, lo, hi),
            configurable=configurable_options.read_configurable(conn, source, lo, hi),
            bundle=bundle_options.read_bundle(conn, source, lo, hi),
            linked=linked_options.read_linked(conn, source, lo, hi),
        )


OPTIONS = OptionsPart()
