"""``generate``: a whole sample catalog, step by step, into any supported database.

Everything random comes from one ``random.Random(seed)`` consumed in a fixed order, and every
timestamp from a fixed instant, so the same seed and options give the same rows, ids included,
on SQLite, MariaDB and PostgreSQL alike.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from random import Random

from sqlalchemy import Connection, Engine, Table, func, inspect, select
from sqlalchemy.exc import OperationalError

from exporters.db import create_db_engine, redact
from exporters.exceptions import error_line
from exporters.sample_data.attribute_sets import write_attribute_catalog
from exporters.sample_data.base import create_schema, drop_schema, install_base, tables_for
from exporters.sample_data.categories import write_categories
from exporters.sample_data.context import Context
from exporters.sample_data.dialects import restore_checks, sync_sequences, tune_for_bulk_load
from exporters.sample_data.errors import CatalogExists, DatabaseUnavailable
from exporters.sample_data.orders import write_orders
from exporters.sample_data.permissions import write_permissions
from exporters.sample_data.products import ProductWriter
from exporters.sample_data.profiles import Profile, get_profile
from exporters.sample_data.report import GenerationReport, Progress
from exporters.sample_data.store_config import write_store_config
from exporters.sample_data.urls import write_category_rewrites
from exporters.sample_data.writer import BatchWriter
from exporters.source import schema as s


def generate(
    url: str,
    profile: str = "small",
    *,
    products: int | None = None,
    seed: int = 0,
    edition: str = "opensource",
    replace: bool = False,
    progress: Progress | None = None,
    websites: int | None = None,
) -> GenerationReport:
    """Write a sample catalog shaped like a performance-toolkit ``profile`` into ``url``.

    ``products`` scales the catalog to that many product rows (variants included) and
    ``websites`` sets the number of websites (one store group and view each). A database that
    already holds Magento rows is refused unless ``replace`` drops the Magento tables first.
    """
    chosen = get_profile(profile, products, websites)
    tables = tables_for(edition)
    engine = create_db_engine(url, create_sqlite_dir=True)
    try:
        generation = _Generation(engine, redact(url), chosen, edition, seed, progress)
        return generation.execute(tables, replace)
    except OperationalError as exc:
        raise DatabaseUnavailable(redact(url), error_line(exc)) from exc
    finally:
        engine.dispose()


class _Generation:
    def __init__(
        self, engine: Engine, url: str, profile: Profile, edition: str, seed: int, progress: Progress | None
    ) -> None:
        self.engine = engine
        self.url = url
        self.profile = profile
        self.edition = edition
        self.seed = seed
        self.progress = progress
        self.steps: dict[str, float] = {}

    def execute(self, tables: tuple[Table, ...], replace: bool) -> GenerationReport:
        started = time.perf_counter()
        with self._step("schema"):
            self._prepare(replace)
        with self.engine.connect() as conn:
            tune_for_bulk_load(conn)
            self._fill(conn)
            sync_sequences(conn, tables)
            restore_checks(conn)
            conn.commit()
            counts = {t.name: _count(conn, t) for t in tables}
        return GenerationReport(
            url=self.url,
            profile=self.profile,
            edition=self.edition,
            seed=self.seed,
            counts=counts,
            elapsed=time.perf_counter() - started,
            steps=self.steps,
        )

    def _prepare(self, replace: bool) -> None:
        with self.engine.begin() as conn:
            if replace:
                tune_for_bulk_load(conn)  # lets MariaDB drop tables other Magento tables point at
                drop_schema(conn)
                restore_checks(conn)
            else:
                self._refuse_if_not_empty(conn)
        create_schema(self.engine, self.edition)

    def _refuse_if_not_empty(self, conn: Connection) -> None:
        existing = set(inspect(conn).get_table_names())
        products = s.catalog_product_entity
        for table in (products, *(t for t in s.metadata.sorted_tables if t is not products)):
            if table.name not in existing:
                continue
            rows = _count(conn, table, distinct="entity_id" if table is products else None)
            if rows:
                raise CatalogExists(self.url, table.name, rows)

    def _fill(self, conn: Connection) -> None:
        profile, rng = self.profile, Random(self.seed)
        writer = BatchWriter(conn, staged=self.edition == "commerce")
        with self._step("base", conn, writer):
            base = install_base(
                conn,
                profile.websites,
                store_groups=profile.store_groups,
                store_views=profile.store_views,
                edition=self.edition,
            )
            write_store_config(writer, base)
        with self._step("attributes", conn, writer):
            attributes = write_attribute_catalog(writer, base, profile)
        with self._step("categories", conn, writer):
            tree = write_categories(writer, rng, base, profile)
            write_category_rewrites(writer, tree, base.store_views)
        ctx = Context(
            writer=writer, rng=rng, profile=profile, base=base, attributes=attributes, categories=tree, seed=self.seed
        )
        with self._step("products", conn, writer):
            pool = ProductWriter(ctx, self.progress).write_all()
        with self._step("orders", conn, writer):
            write_orders(ctx, pool, self.progress)
        if self.edition == "commerce":
            with self._step("permissions", conn, writer):
                write_permissions(ctx)

    @contextmanager
    def _step(self, name: str, conn: Connection | None = None, writer: BatchWriter | None = None) -> Iterator[None]:
        """Time a step, report it, and commit its rows so a long run shows progress in the database."""
        if self.progress is not None:
            self.progress(name, 0)
        started = time.perf_counter()
        yield
        if writer is not None:
            writer.flush()
        if conn is not None:
            conn.commit()
        self.steps[name] = time.perf_counter() - started


def _count(conn: Connection, table: Table, distinct: str | None = None) -> int:
    """Rows of ``table``, or distinct values of one column (products: staged versions count once)."""
    counted = func.count() if distinct is None else func.count(table.c[distinct].distinct())
    return int(conn.execute(select(counted).select_from(table)).scalar_one())
