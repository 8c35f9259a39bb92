"""The categoryPermissions feed (Adobe Commerce): raw category permissions and the global configuration.

Shaped as Adobe's ``category-permission-data-exporter`` builds it (Adobe Commerce only; its source
is not in the public mirror, it was read from the module's provider classes and integration test
as published, see docs/category-permissions-feed.md):

- **STANDARD** items: one per ``magento_catalogpermissions`` row, as the row says it, with no
  expansion. A NULL website or customer group is the scope ``FALLBACK_WEBSITE`` /
  ``FALLBACK_CUSTOMER_GROUP`` (Commerce Services apply it to every website or group the other
  items do not name). Grants -1, -2, 0 are ``ALLOW``, ``DENY``, ``USE_PARENT``; a row that denies
  browsing denies the price and the cart too, whatever they hold.
- **GLOBAL** items: the ``catalog/magento_catalogpermissions/*`` configuration, one item per
  setting (``GLOBAL_ENABLED``, ``DISPLAYED``, ``DISPLAY_PRODUCT_PRICE``, ``ADD_TO_CART``) and scope;
  they stand in ``id.categoryId`` where a category id would be.

Items are chunked by ``permission_id`` (Adobe's feed identity, carried as ``_permission_id``); the
global items have permission id 0, so the chunk whose range holds 0 (always the first) builds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select

from exporters.clock import now_text
from exporters.feeds.base import SCOPE_TABLES, FeedSpec, customer_group_code
from exporters.model import BuildResult, Item, ItemFailure
from exporters.source import MagentoSource
from exporters.source.schema import core_config_data, id_between, magento_catalogpermissions

TABLE = magento_catalogpermissions.name
FALLBACK_WEBSITE = "FALLBACK_WEBSITE"
FALLBACK_CUSTOMER_GROUP = "FALLBACK_CUSTOMER_GROUP"
#: The permission id Adobe gives the global configuration's items.
GLOBAL_PERMISSION_ID = 0
ALLOW, DENY, USE_PARENT = "ALLOW", "DENY", "USE_PARENT"
#: ``Magento\CatalogPermissions\Model\Permission`` grant -> the feed's PermissionValue.
GRANTS = {-1: ALLOW, -2: DENY, 0: USE_PARENT}
#: Item permission key <- permission column, in the order Adobe's FeedItemBuilder fills them.
COLUMNS = {
    "DISPLAYED": "grant_catalog_category_view",
    "ADD_TO_CART": "grant_checkout_items",
    "DISPLAY_PRODUCT_PRICE": "grant_catalog_product_price",
}
CONFIG_PREFIX = "catalog/magento_catalogpermissions/"
#: Global setting (``CONFIG_PREFIX`` + name) -> the permission key it is sent as.
SETTINGS = {
    "enabled": "GLOBAL_ENABLED",
    "grant_catalog_category_view": "DISPLAYED",
    "grant_catalog_product_price": "DISPLAY_PRODUCT_PRICE",
    "grant_checkout_items": "ADD_TO_CART",
}
#: Values of a setting no ``core_config_data`` row sets: Magento's defaults (disabled; browsing,
#: prices and the cart "Yes, for Everyone").
SETTING_DEFAULTS = {
    "enabled": "0",
    "grant_catalog_category_view": "1",
    "grant_catalog_product_price": "1",
    "grant_checkout_items": "1",
}
#: A grant setting: 0 No, 1 Yes for everyone, 2 Yes for the groups listed in ``<setting>_groups``.
SETTING_NO, SETTING_YES, SETTING_GROUPS = 0, 1, 2


def _item(
    category_id: str,
    website_code: str,
    group_code: str,
    kind: str,
    permission: dict[str, str],
    ids: tuple[int, str, str],
    modified_at: str,
) -> Item:
    """An item as Adobe's FeedItemBuilder shapes it, with its bookkeeping ids ``_permission_id`` & co."""
    permission_id, website_id, group_id = ids
    return {
        "_permission_id": permission_id,
        "_website_id": website_id,
        "_customer_group_id": group_id,
        "id": {"websiteCode": website_code, "customerGroupCode": group_code, "categoryId": category_id},
        "type": kind,
        "permission": permission,
        "deleted": False,
        "modifiedAt": modified_at,
    }


def _row_failure(row: Any, websites: Mapping[int, str], error: str) -> ItemFailure:
    return ItemFailure(
        int(row.permission_id),
        f"category permission {row.permission_id} (category {row.category_id}): {error}",
        {
            "id.categoryId": str(row.category_id),
            "id.websiteCode": FALLBACK_WEBSITE if row.website_id is None else websites.get(int(row.website_id)),
            "id.customerGroupCode": FALLBACK_CUSTOMER_GROUP
            if row.customer_group_id is None
            else customer_group_code(int(row.customer_group_id)),
        },
    )


def standard_items(rows: Iterable[Any], websites: Mapping[int, str], modified_at: str) -> BuildResult:
    """One STANDARD item per permission row; a row with a grant Magento does not know fails."""
    result = BuildResult()
    for row in rows:
        values = {key: int(getattr(row, column)) for key, column in COLUMNS.items()}
        unknown = sorted(f"{COLUMNS[k]} {v}" for k, v in values.items() if v not in GRANTS)
        if unknown:
            result.failures.append(_row_failure(row, websites, f"unknown grant {', '.join(unknown)}"))
            continue
        if row.website_id is not None and int(row.website_id) not in websites:
            result.failures.append(_row_failure(row, websites, f"website {row.website_id} does not exist"))
            continue
        if values["DISPLAYED"] == -2:  # a category nobody may browse shows no price and sells nothing
            values = dict.fromkeys(values, -2)
        website_id = FALLBACK_WEBSITE if row.website_id is None else str(row.website_id)
        group_id = FALLBACK_CUSTOMER_GROUP if row.customer_group_id is None else str(row.customer_group_id)
        website_code = FALLBACK_WEBSITE if row.website_id is None else websites[int(row.website_id)]
        group = FALLBACK_CUSTOMER_GROUP if row.customer_group_id is None else customer_group_code(row.customer_group_id)
        result.items.append(
            _item(
                str(row.category_id),
                website_code,
                group,
                "STANDARD",
                {key: GRANTS[value] for key, value in values.items()},
                (int(row.permission_id), website_id, group_id),
                modified_at,
            )
        )
    return result


def _setting_value(raw: str | None) -> str | None:
    """A grant setting's feed value: 1 or 2 allow, 0 denies, anything else is not a state (None)."""
    try:
        number = int(str(raw).strip())
    except ValueError:
        return None
    return ALLOW if number in (SETTING_YES, SETTING_GROUPS) else DENY if number == SETTING_NO else None


def global_items(
    config: Mapping[tuple[str, int, str], str | None], websites: Mapping[int, str], modified_at: str
) -> BuildResult:
    """The GLOBAL items of the category permissions configuration (``core_config_data``).

    ``GLOBAL_ENABLED`` is sent for the default scope only. Each grant is sent for the default
    scope (``FALLBACK_WEBSITE``) and for every website whose value, read with Magento's fallback
    to the default, differs from it; "Yes, for specified customer groups" becomes one ALLOW item
    per listed group (``FALLBACK_CUSTOMER_GROUP`` when the list is empty). A value that is not a
    state fails the scope that sets it.
    """

    def value(setting: str, website_id: int | None) -> str | None:
        path = CONFIG_PREFIX + setting
        if website_id is not None and (found := config.get(("websites", website_id, path))) is not None:
            return found
        return config.get(("default", 0, path), SETTING_DEFAULTS.get(setting))

    result = BuildResult()
    enabled = value("enabled", None)
    result.items.append(
        _item(
            "GLOBAL_ENABLED",
            FALLBACK_WEBSITE,
            FALLBACK_CUSTOMER_GROUP,
            "GLOBAL",
            {"GLOBAL_ENABLED": ALLOW if str(enabled).strip() == "1" else DENY},
            (GLOBAL_PERMISSION_ID, FALLBACK_WEBSITE, FALLBACK_CUSTOMER_GROUP),
            modified_at,
        )
    )
    scopes: list[tuple[int | None, str]] = [(None, FALLBACK_WEBSITE), *sorted(websites.items())]
    for setting, key in SETTINGS.items():
        if setting == "enabled":
            continue
        per_scope: dict[str, dict[str, Item]] = {}
        for website_id, website_code in scopes:
            raw = value(setting, website_id)
            state = _setting_value(raw)
            scope_id = FALLBACK_WEBSITE if website_id is None else str(website_id)
            inherited = website_id is not None and ("websites", website_id, CONFIG_PREFIX + setting) not in config
            if state is None and inherited:
                continue  # the default scope's failure says it
            if state is None:
                identity = {"id.categoryId": key, "id.websiteCode": website_code,
                            "id.customerGroupCode": FALLBACK_CUSTOMER_GROUP}  # fmt: skip
                error = f"{CONFIG_PREFIX}{setting} is {raw!r} at {website_code}: not 0, 1 or 2"
                result.failures.append(ItemFailure(GLOBAL_PERMISSION_ID, error, identity))
                continue
            groups = (value(setting + "_groups", website_id) or "") if str(raw).strip() == "2" else ""
            group_ids = [g.strip() for g in groups.split(",") if g.strip()]
            codes = {g: customer_group_code(int(g)) for g in group_ids if g.isdigit()}
            targets = codes or {FALLBACK_CUSTOMER_GROUP: FALLBACK_CUSTOMER_GROUP}
            per_scope[scope_id] = {
                group_id: _item(
                    key,
                    website_code,
                    code,
                    "GLOBAL",
                    {key: state},
                    (GLOBAL_PERMISSION_ID, scope_id, group_id),
                    modified_at,
                )
                for group_id, code in targets.items()
            }
        fallback = per_scope.get(FALLBACK_WEBSITE, {})
        for scope_id, items in per_scope.items():
            for group_id, item in items.items():
                same = fallback.get(group_id)
                if scope_id != FALLBACK_WEBSITE and same is not None and same["permission"] == item["permission"]:
                    continue  # a website that says what the default says is not sent
                result.items.append(item)
    return result


def _read_config(conn: Connection) -> dict[tuple[str, int, str], str | None]:
    """The category permissions settings by (scope, scope id, path); store-level rows do not apply."""
    c = core_config_data
    rows = conn.execute(
        select(c.c.scope, c.c.scope_id, c.c.path, c.c.value).where(
            c.c.path.startswith(CONFIG_PREFIX, autoescape=True), c.c.scope.in_(("default", "websites"))
        )
    )
    return {(r.scope, int(r.scope_id), r.path): r.value for r in rows}


def build_permissions(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every categoryPermissions item for permission ids ``lo..hi`` (inclusive); 0 is the configuration."""
    p = magento_catalogpermissions
    with source.connect() as conn:
        rows = conn.execute(select(p).where(id_between(p.c.permission_id, lo, hi)).order_by(p.c.permission_id)).all()
        with_config = lo <= GLOBAL_PERMISSION_ID <= hi
        config = _read_config(conn) if with_config and source.has_table(core_config_data.name) else {}
    websites = {website_id: website.code for website_id, website in source.scopes.websites.items()}
    modified_at = now_text()
    result = standard_items(rows, websites, modified_at)
    if with_config:
        configured = global_items(config, websites, modified_at)
        result.items.extend(configured.items)
        result.failures.extend(configured.failures)
    return result


def scoped_rows(rows: Iterable[Any], websites: list[int], groups: list[int]) -> dict[tuple[int, int, int], Any]:
    """(category, website, group) -> the permission row that applies there (the productOverrides rule).

    A NULL website or group means all of them; the most explicit row of a category wins for a
    scope (website and group given, then one of them, then neither).
    """
    by_scope: dict[tuple[int, int, int], tuple[int, Any]] = {}
    for row in rows:
        specificity = (row.website_id is not None) + (row.customer_group_id is not None)
        for website_id in [row.website_id] if row.website_id is not None else websites:
            for group_id in [row.customer_group_id] if row.customer_group_id is not None else groups:
                key = (int(row.category_id), int(website_id), int(group_id))
                if key not in by_scope or by_scope[key][0] < specificity:
                    by_scope[key] = (specificity, row)
    return {key: row for key, (_, row) in by_scope.items()}


CATEGORY_PERMISSIONS = FeedSpec(
    name="categoryPermissions",
    summary="Category Permissions Feed",
    mode="immediate",
    table="cde_category_permissions_feed",
    identity=("id.categoryId", "id.websiteCode", "id.customerGroupCode"),
    minimal_payload=("_permission_id", "_website_id", "_customer_group_id", "id", "type", "modifiedAt"),
    source_key="_permission_id",
    source_ids=magento_catalogpermissions.c.permission_id,
    builder=build_permissions,
    schema_file="categoryPermissions.json",
    requires_table=TABLE,
    reads=(*SCOPE_TABLES, "core_config_data", "magento_catalogpermissions"),
)
