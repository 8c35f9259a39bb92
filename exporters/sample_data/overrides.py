"""Store-level values: the cases where a naive EAV reader gives a different answer than Magento.

* A store row wins over store 0 *even when its value is NULL* (description, short_description).
* A global attribute's stray store row (price, user globals) must be ignored.
* Website-scope status written on one store view only, so it differs per store view.
* Store-level url_key, name, visibility and option values.
"""

from __future__ import annotations

from exporters.sample_data.attributes import GLOBAL, STORE
from exporters.sample_data.attributes import PRODUCT_ATTRIBUTE_IDS as ATTR
from exporters.sample_data.context import Context
from exporters.sample_data.model import Product
from exporters.sample_data.product_values import DECIMAL, INT, TEXT, VARCHAR

#: Share of standalone products with store-level values; with a per-view status; with a stray
#: store row of a global attribute.
OVERRIDE_SHARE, VIEW_STATUS_SHARE, STRAY_GLOBAL_SHARE = 0.10, 0.02, 0.02


def write_store_overrides(ctx: Context, p: Product) -> None:
    views = ctx.views_of(p.websites) or ctx.base.store_views
    rng, w, eid = ctx.rng, ctx.writer, p.entity_id
    if rng.random() < OVERRIDE_SHARE:
        view = rng.choice(views)
        store_id = view.store_id
        w.value(VARCHAR, eid, ATTR["name"], store_id, f"{p.name} ({view.code})")
        if rng.random() < 0.5:
            p.store_url_keys[store_id] = url_key = f"{p.url_key}-{view.code.replace('_', '-')}"
            w.value(VARCHAR, eid, ATTR["url_key"], store_id, url_key)
        roll = rng.random()
        if roll < 0.4:
            w.value(TEXT, eid, ATTR["description"], store_id, None)
        elif roll < 0.8:
            w.value(TEXT, eid, ATTR["description"], store_id, f"<p>{p.name} für {view.code} – schön.</p>")
        if rng.random() < 0.2:
            w.value(TEXT, eid, ATTR["short_description"], store_id, None)
        if p.visibility != 1 and rng.random() < 0.2:
            w.value(INT, eid, ATTR["visibility"], store_id, rng.choice((2, 3)))
        _store_option(ctx, p, store_id)
    if rng.random() < VIEW_STATUS_SHARE:
        w.value(INT, eid, ATTR["status"], rng.choice(views).store_id, 2 if p.enabled else 1)
    if p.price is not None and rng.random() < STRAY_GLOBAL_SHARE:
        w.value(DECIMAL, eid, ATTR["price"], rng.choice(views).store_id, p.price + 1)


def _store_option(ctx: Context, p: Product, store_id: int) -> None:
    """A store-level option on a store-scope attribute, a stray one on a global attribute."""
    if p.user_set is None:
        return
    rng, w = ctx.rng, ctx.writer
    for attribute in p.user_set.attributes:
        if attribute.frontend_input != "select" or attribute.scope not in (STORE, GLOBAL):
            continue
        if rng.random() >= 0.3:
            continue
        w.value(INT, p.entity_id, attribute.attribute_id, store_id, rng.choice(attribute.option_ids))
