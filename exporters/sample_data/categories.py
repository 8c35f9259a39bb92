"""Categories "Category N" nested in chains under the default category 2, as the toolkit's
CategoriesFixture builds them, with store-level oddities the categories feed must resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from random import Random

from sqlalchemy import update

from exporters.sample_data.attributes import CATEGORY_ATTRIBUTE_IDS as ATTR
from exporters.sample_data.base import CATEGORY_ATTRIBUTE_SET_ID, INSTALLED_AT, BaseIds
from exporters.sample_data.profiles import Profile
from exporters.sample_data.writer import BatchWriter
from exporters.source import schema as s

#: Share of categories with a store-view name; with a NULL description at a store; inactive.
STORE_NAME_SHARE, NULL_DESCRIPTION_SHARE, INACTIVE_SHARE = 0.10, 0.05, 0.05


@dataclass(frozen=True, slots=True)
class Category:
    entity_id: int
    parent_id: int
    path: str
    level: int
    position: int
    url_path: str


@dataclass(frozen=True)
class CategoryTree:
    """The generated categories (not the two roots), in creation order."""

    categories: tuple[Category, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(c.entity_id for c in self.categories)


def plan_tree(count: int, nesting_level: int, root_id: int) -> tuple[Category, ...]:
    """Chains of ``nesting_level`` categories under ``root_id``: Category 1 > Category 2 > …"""
    categories: list[Category] = []
    root = Category(root_id, 1, f"1/{root_id}", 1, 0, "")
    chain_heads = 0
    for number in range(1, count + 1):
        depth = (number - 1) % max(1, nesting_level)
        if depth == 0:
            chain_heads += 1
            parent, position = root, chain_heads
        else:
            parent, position = categories[-1], 1
        entity_id = root_id + number
        url_key = f"category-{number}"
        categories.append(
            Category(
                entity_id,
                parent.entity_id,
                f"{parent.path}/{entity_id}",
                parent.level + 1,
                position,
                f"{parent.url_path}/{url_key}" if parent.url_path else url_key,
            )
        )
    return tuple(categories)


def write_categories(writer: BatchWriter, rng: Random, base: BaseIds, profile: Profile) -> CategoryTree:
    tree = plan_tree(profile.categories, profile.categories_nesting_level, base.default_category_id)
    descendants = {c.entity_id: 0 for c in tree}
    for category in tree:
        for ancestor in category.path.split("/")[2:-1]:
            descendants[int(ancestor)] += 1
    varchar, int_, text = (s.category_values[t] for t in ("varchar", "int", "text"))
    for number, category in enumerate(tree, start=1):
        eid = category.entity_id
        created = INSTALLED_AT + timedelta(hours=1, seconds=number)
        writer.add(
            s.catalog_category_entity,
            {
                "entity_id": eid,
                "attribute_set_id": CATEGORY_ATTRIBUTE_SET_ID,
                "parent_id": category.parent_id,
                "created_at": created,
                "updated_at": created,
                "path": category.path,
                "position": category.position,
                "level": category.level,
                "children_count": descendants[eid],
            },
        )
        name = f"Category {number}"
        writer.value(varchar, eid, ATTR["name"], 0, name)
        writer.value(varchar, eid, ATTR["url_key"], 0, f"category-{number}")
        writer.value(varchar, eid, ATTR["url_path"], 0, category.url_path)
        writer.value(varchar, eid, ATTR["display_mode"], 0, "PRODUCTS")
        writer.value(int_, eid, ATTR["is_active"], 0, 0 if rng.random() < INACTIVE_SHARE else 1)
        writer.value(int_, eid, ATTR["is_anchor"], 0, 0 if rng.random() < 0.1 else 1)
        writer.value(int_, eid, ATTR["include_in_menu"], 0, 0 if rng.random() < 0.1 else 1)
        has_description = number % 2 == 1
        if has_description:
            writer.value(text, eid, ATTR["description"], 0, f"<p>All about <em>{name}</em> &amp; more.</p>")
        view = rng.choice(base.store_views)
        if rng.random() < STORE_NAME_SHARE:
            writer.value(varchar, eid, ATTR["name"], view.store_id, f"{name} ({view.code})")
        if has_description and rng.random() < NULL_DESCRIPTION_SHARE * 2:
            writer.value(text, eid, ATTR["description"], view.store_id, None)
    entity = s.catalog_category_entity
    for root_id, count in ((base.default_category_id, len(tree)), (base.root_category_id, len(tree) + 1)):
        writer.conn.execute(update(entity).where(entity.c.entity_id == root_id).values(children_count=count))
    return CategoryTree(tree)
