"""A hand-built Magento catalog for tests: Magento's base rows plus exactly the products a test
describes, written through the same schema module the exporter reads with.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from exporters.db import create_db_engine
from exporters.sample_data import create_schema, install_base
from exporters.source import schema as s

CREATED = datetime(2024, 4, 25, 14, 1, 25)
UPDATED = datetime(2024, 5, 2, 9, 30, 0)


def attribute_of(conn: Connection, code: str, entity_type_id: int = 4) -> tuple[int, str]:
    """(attribute id, backend type) of an attribute of any Magento catalog (4: products)."""
    a = s.eav_attribute
    row = conn.execute(
        select(a.c.attribute_id, a.c.backend_type).where(
            a.c.attribute_code == code, a.c.entity_type_id == entity_type_id
        )
    ).one()
    return int(row.attribute_id), str(row.backend_type)


class Catalog:
    """Writes rows one call at a time; values are given per store *code* (``"admin"`` = 0)."""

    def __init__(self, url: str, websites: int = 1) -> None:
        self.url = url
        self.engine: Engine = create_db_engine(url, create_sqlite_dir=True)
        create_schema(self.engine, "opensource")
        with self.engine.begin() as conn:
            install_base(conn, websites=websites)
        self._next_entity = 1000

    # --- lookups -------------------------------------------------------------------------------
    def store_id(self, code: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(s.store.c.store_id).where(s.store.c.code == code)).scalar_one())

    def website_id(self, code: str) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(select(s.store_website.c.website_id).where(s.store_website.c.code == code)).scalar_one()
            )

    def attribute(self, code: str, entity_type_id: int = 4) -> tuple[int, str]:
        with self.engine.connect() as conn:
            return attribute_of(conn, code, entity_type_id)

    # --- scopes ----------------------------------------------------------------------------------
    def add_store_view(self, code: str, website_code: str) -> int:
        with self.engine.begin() as conn:
            website_id = conn.execute(
                select(s.store_website.c.website_id).where(s.store_website.c.code == website_code)
            ).scalar_one()
            group_id = conn.execute(
                select(s.store_group.c.group_id).where(s.store_group.c.website_id == website_id)
            ).scalar_one()
            store_id = int(conn.execute(select(func.max(s.store.c.store_id))).scalar_one()) + 1
            conn.execute(
                insert(s.store).values(
                    store_id=store_id,
                    code=code,
                    website_id=website_id,
                    group_id=group_id,
                    name=code,
                    sort_order=0,
                    is_active=1,
                )
            )
        return store_id

    # --- attributes ------------------------------------------------------------------------------
    def add_attribute(
        self,
        code: str,
        *,
        backend_type: str = "int",
        frontend_input: str = "select",
        is_global: int = 0,
        options: list[dict[str, str]] | None = None,
    ) -> tuple[int, list[int]]:
        """A user-defined product attribute; ``options`` are labels per store code."""
        with self.engine.begin() as conn:
            attribute_id = int(conn.execute(select(func.max(s.eav_attribute.c.attribute_id))).scalar_one()) + 1
            conn.execute(
                insert(s.eav_attribute).values(
                    attribute_id=attribute_id,
                    entity_type_id=4,
                    attribute_code=code,
                    backend_type=backend_type,
                    frontend_input=frontend_input,
                    frontend_label=code.title(),
                    is_user_defined=1,
                )
            )
            conn.execute(insert(s.catalog_eav_attribute).values(attribute_id=attribute_id, is_global=is_global))
            option_ids = []
            for labels in options or []:
                option_id = (
                    int(
                        conn.execute(
                            select(func.coalesce(func.max(s.eav_attribute_option.c.option_id), 0))
                        ).scalar_one()
                    )
                    + 1
                )
                conn.execute(insert(s.eav_attribute_option).values(option_id=option_id, attribute_id=attribute_id))
                for store_code, label in labels.items():
                    conn.execute(
                        insert(s.eav_attribute_option_value).values(
                            option_id=option_id, store_id=self._store(conn, store_code), value=label
                        )
                    )
                option_ids.append(option_id)
        return attribute_id, option_ids

    @staticmethod
    def _store(conn: Any, store_code: str) -> int:
        return int(conn.execute(select(s.store.c.store_id).where(s.store.c.code == store_code)).scalar_one())

    # --- products --------------------------------------------------------------------------------
    def add_product(
        self,
        sku: str | None,
        *,
        entity_id: int | None = None,
        type_id: str = "simple",
        websites: tuple[str, ...] = ("base",),
        values: dict[str, dict[str, Any]] | None = None,
        categories: dict[int, int] | None = None,
        in_stock: bool = True,
    ) -> int:
        """A product; ``values`` maps attribute code -> {store code: value}."""
        if entity_id is None:
            self._next_entity += 7  # sparse ids, as real catalogs have
            entity_id = self._next_entity
        defaults = {"status": {"admin": 1}, "visibility": {"admin": 4}}
        with self.engine.begin() as conn:
            conn.execute(
                insert(s.catalog_product_entity).values(
                    entity_id=entity_id,
                    attribute_set_id=4,
                    type_id=type_id,
                    sku=sku,
                    created_at=CREATED,
                    updated_at=UPDATED,
                )
            )
            for code in websites:
                website_id = conn.execute(
                    select(s.store_website.c.website_id).where(s.store_website.c.code == code)
                ).scalar_one()
                conn.execute(insert(s.catalog_product_website).values(product_id=entity_id, website_id=website_id))
            for code, per_store in {**defaults, **(values or {})}.items():
                for store_code, value in per_store.items():
                    self._write_value(conn, entity_id, code, store_code, value)
            for category_id, position in (categories or {}).items():
                conn.execute(
                    insert(s.catalog_category_product).values(
                        category_id=category_id, product_id=entity_id, position=position
                    )
                )
            conn.execute(
                insert(s.cataloginventory_stock_status).values(
                    product_id=entity_id,
                    website_id=0,
                    stock_id=1,
                    qty=10 if in_stock else 0,
                    stock_status=1 if in_stock else 0,
                )
            )
        return entity_id

    def _write_value(self, conn: Any, entity_id: int, code: str, store_code: str, value: Any) -> None:
        attribute_id, backend_type = self.attribute(code)
        table = s.product_values[backend_type]
        conn.execute(
            insert(table).values(
                entity_id=entity_id,
                attribute_id=attribute_id,
                store_id=self._store(conn, store_code),
                value=value,
            )
        )

    def set_value(self, entity_id: int, code: str, store_code: str, value: Any) -> None:
        attribute_id, backend_type = self.attribute(code)
        table = s.product_values[backend_type]
        with self.engine.begin() as conn:
            conn.execute(
                update(table)
                .where(
                    table.c.entity_id == entity_id,
                    table.c.attribute_id == attribute_id,
                    table.c.store_id == self._store(conn, store_code),
                )
                .values(value=value)
            )

    def link_configurable(self, parent_id: int, child_ids: list[int], attribute_codes: list[str]) -> None:
        with self.engine.begin() as conn:
            for position, code in enumerate(attribute_codes):
                attribute_id, _ = self.attribute(code)
                conn.execute(
                    insert(s.catalog_product_super_attribute).values(
                        product_id=parent_id, attribute_id=attribute_id, position=position
                    )
                )
            for child_id in child_ids:
                conn.execute(insert(s.catalog_product_super_link).values(product_id=child_id, parent_id=parent_id))
                conn.execute(insert(s.catalog_product_relation).values(parent_id=parent_id, child_id=child_id))

    def add_category(self, category_id: int, parent_path: str, url_paths: dict[str, str]) -> None:
        path = f"{parent_path}/{category_id}"
        with self.engine.begin() as conn:
            conn.execute(
                insert(s.catalog_category_entity).values(
                    entity_id=category_id,
                    attribute_set_id=3,
                    parent_id=int(parent_path.split("/")[-1]),
                    created_at=CREATED,
                    updated_at=UPDATED,
                    path=path,
                    position=1,
                    level=path.count("/"),
                    children_count=0,
                )
            )
            attribute_id, backend_type = self.attribute("url_path", entity_type_id=3)
            for store_code, url_path in url_paths.items():
                conn.execute(
                    insert(s.category_values[backend_type]).values(
                        entity_id=category_id,
                        attribute_id=attribute_id,
                        store_id=self._store(conn, store_code),
                        value=url_path,
                    )
                )

    def add_image(self, entity_id: int, file: str, labels: dict[str, str | None], position: int) -> None:
        g = s.catalog_product_entity_media_gallery
        with self.engine.begin() as conn:
            value_id = int(conn.execute(select(func.coalesce(func.max(g.c.value_id), 0))).scalar_one()) + 1
            conn.execute(insert(g).values(value_id=value_id, attribute_id=90, value=file, media_type="image"))
            conn.execute(
                insert(s.catalog_product_entity_media_gallery_value_to_entity).values(
                    value_id=value_id, entity_id=entity_id
                )
            )
            for store_code, label in labels.items():
                conn.execute(
                    insert(s.catalog_product_entity_media_gallery_value).values(
                        value_id=value_id,
                        entity_id=entity_id,
                        store_id=self._store(conn, store_code),
                        label=label,
                        position=position,
                        disabled=0,
                    )
                )

    def delete_product(self, entity_id: int) -> None:
        """What Magento's FK cascades do when a product is deleted."""
        with self.engine.begin() as conn:
            for table in s.product_values.values():
                conn.execute(delete(table).where(table.c.entity_id == entity_id))
            conn.execute(delete(s.catalog_product_website).where(s.catalog_product_website.c.product_id == entity_id))
            conn.execute(delete(s.catalog_product_entity).where(s.catalog_product_entity.c.entity_id == entity_id))
