"""Adobe Commerce category permissions (magento_catalogpermissions), on a share of categories.

Rows mix the three grant values (-1 allow, -2 deny, 0 use parent) and the NULL wildcards of
website_id and customer_group_id ("all websites", "all groups"), the cases the
categoryPermissions and productOverrides feeds must expand.
"""

from __future__ import annotations

from exporters.sample_data.context import Context
from exporters.source import schema as s

ALLOW, DENY, PARENT = -1, -2, 0
CATEGORY_SHARE = 0.25


def write_permissions(ctx: Context) -> None:
    rng, w = ctx.rng, ctx.writer
    websites: list[int | None] = [None, *ctx.base.websites]
    groups: list[int | None] = [None, *ctx.base.customer_groups]
    scopes = [(website, group) for website in websites for group in groups]
    for category_id in ctx.categories.ids:
        if rng.random() >= CATEGORY_SHARE:
            continue
        for website, group in rng.sample(scopes, rng.randint(1, 3)):
            view = rng.choices((ALLOW, DENY, PARENT), (5, 3, 2))[0]
            price = DENY if view == DENY else rng.choice((ALLOW, DENY, PARENT))
            checkout = DENY if price == DENY else rng.choice((ALLOW, DENY, PARENT))
            w.add(
                s.magento_catalogpermissions,
                {
                    "permission_id": w.next_id(s.magento_catalogpermissions),
                    "category_id": category_id,
                    "website_id": website,
                    "customer_group_id": group,
                    "grant_catalog_category_view": view,
                    "grant_catalog_product_price": price,
                    "grant_checkout_items": checkout,
                },
            )
