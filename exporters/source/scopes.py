"""Store scopes: websites, store groups and store views, read once per source."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from exporters.source.schema import store, store_group, store_website


@dataclass(frozen=True, slots=True)
class StoreView:
    """One storefront store view with the codes every item carries."""

    store_id: int
    code: str
    website_id: int
    website_code: str
    group_id: int
    group_code: str
    root_category_id: int


@dataclass(frozen=True, slots=True)
class Website:
    website_id: int
    code: str
    name: str | None


@dataclass(frozen=True)
class Scopes:
    """The storefront hierarchy; the admin website and store 0 are left out, as Magento does."""

    websites: dict[int, Website]
    store_views: dict[int, StoreView]

    @property
    def store_ids(self) -> list[int]:
        return sorted(self.store_views)


def load_scopes(conn: Connection) -> Scopes:
    websites = {
        row.website_id: Website(row.website_id, row.code, row.name)
        for row in conn.execute(
            select(store_website.c.website_id, store_website.c.code, store_website.c.name)
            .where(store_website.c.website_id != 0)
            .order_by(store_website.c.website_id)
        )
    }
    groups = {
        row.group_id: row
        for row in conn.execute(select(store_group.c.group_id, store_group.c.code, store_group.c.root_category_id))
    }
    views: dict[int, StoreView] = {}
    query = select(store.c.store_id, store.c.code, store.c.website_id, store.c.group_id).where(store.c.store_id != 0)
    for row in conn.execute(query.order_by(store.c.store_id)):
        website = websites.get(row.website_id)
        group = groups.get(row.group_id)
        if website is None or group is None:
            continue  # a store view of a deleted website or group is not a storefront
        views[row.store_id] = StoreView(
            store_id=row.store_id,
            code=row.code,
            website_id=row.website_id,
            website_code=website.code,
            group_id=row.group_id,
            group_code=group.code or "",
            root_category_id=int(group.root_category_id),
        )
    return Scopes(websites=websites, store_views=views)
