"""A Magento database opened for reading, with the metadata every feed shares cached once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Engine, inspect, select
from sqlalchemy.exc import DBAPIError, OperationalError

from exporters.db import create_db_engine, is_transient, missing_object, redact
from exporters.exceptions import error_line
from exporters.source.eav import AttributeSet, OptionLabels, load_attributes, load_option_labels
from exporters.source.edition import COMMERCE, OPEN_SOURCE, Edition
from exporters.source.exceptions import NotAMagentoDatabase, SourceSchemaMismatch, SourceUnavailable
from exporters.source.schema import REQUIRED_TABLES, core_config_data
from exporters.source.scopes import Scopes, load_scopes


class MagentoSource:
    """Read-only access to a Magento 2.4 catalog database.

    Metadata (scopes, attributes, option labels, config) is read once per instance: a chunk
    task keeps one instance per worker process, so only the per-chunk reads hit the database.
    """

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = redact(url)
        self.engine = engine or create_db_engine(url)
        #: Per-run memos of the feed builders (digests, lookup tables), dropped with the source.
        self.memo: dict[str, Any] = {}

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection whose failures are ours: a missing table or column is terminal, a lost
        connection, deadlock or lock timeout transient (the chunk retries)."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            missing = missing_object(exc)
            if missing is not None:
                raise SourceSchemaMismatch(self.url, [missing]) from exc
            if is_transient(exc) or isinstance(exc, OperationalError):
                raise SourceUnavailable(self.url, error_line(exc)) from exc
            raise

    def check(self, reads: Iterable[str] = ()) -> None:
        """Fail with one clear line when the database is unreachable, not Magento, or lacks a
        table of ``reads`` (the tables the chosen feeds read)."""
        try:
            tables = set(inspect(self.engine).get_table_names())
        except DBAPIError as exc:
            raise SourceUnavailable(self.url, error_line(exc)) from exc
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise NotAMagentoDatabase(self.url, missing)
        absent = sorted({t for t in reads if t not in tables})
        if absent:
            raise SourceSchemaMismatch(self.url, [f"table {t}" for t in absent])

    def has_table(self, name: str) -> bool:
        with self.connect() as conn:
            return bool(inspect(conn).has_table(name))

    @cached_property
    def edition(self) -> Edition:
        """Adobe Commerce when products are staged (``row_id`` on ``catalog_product_entity``)."""
        with self.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("catalog_product_entity")}
        return COMMERCE if "row_id" in columns else OPEN_SOURCE

    @cached_property
    def scopes(self) -> Scopes:
        with self.connect() as conn:
            return load_scopes(conn)

    @cached_property
    def product_attributes(self) -> AttributeSet:
        with self.connect() as conn:
            return load_attributes(conn, "catalog_product")

    @cached_property
    def category_attributes(self) -> AttributeSet:
        with self.connect() as conn:
            return load_attributes(conn, "catalog_category")

    @cached_property
    def product_option_labels(self) -> OptionLabels:
        ids = [a.attribute_id for a in self.product_attributes.by_id.values() if a.has_options]
        with self.connect() as conn:
            return load_option_labels(conn, ids)

    @cached_property
    def _config(self) -> dict[tuple[str, int, str], str | None]:
        c = core_config_data
        with self.connect() as conn:
            if not inspect(conn).has_table(c.name):
                return {}
            rows = conn.execute(select(c.c.scope, c.c.scope_id, c.c.path, c.c.value))
            return {(r.scope, int(r.scope_id), r.path): r.value for r in rows}

    def config_value(self, path: str, store_id: int | None = None) -> str | None:
        """A ``core_config_data`` value with Magento's store -> website -> default fallback."""
        config = self._config
        if store_id is not None:
            view = self.scopes.store_views.get(store_id)
            if (value := config.get(("stores", store_id, path))) is not None:
                return value
            if view and (value := config.get(("websites", view.website_id, path))) is not None:
                return value
        return config.get(("default", 0, path))

    def media_base_url(self, store_id: int) -> str:
        """Where catalog images are served for a store view (``…/media/``)."""
        media = self.config_value("web/secure/base_media_url", store_id) or self.config_value(
            "web/unsecure/base_media_url", store_id
        )
        base = (
            self.config_value("web/secure/base_url", store_id)
            or self.config_value("web/unsecure/base_url", store_id)
            or ""
        )
        if not media:
            media = f"{base}media/"
        for placeholder in ("{{secure_base_url}}", "{{unsecure_base_url}}", "{{base_url}}"):
            media = media.replace(placeholder, base)
        return media
