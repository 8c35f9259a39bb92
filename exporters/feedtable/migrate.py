"""Feed database migrations (``saas-export db upgrade``), run through Alembic's API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from exporters.db import DatabaseUnavailable, MissingSchemaObject, is_transient, missing_object, redact
from exporters.exceptions import error_line

MIGRATIONS = Path(__file__).with_name("migrations")


class FeedDatabaseUnavailable(DatabaseUnavailable):
    """The feed database could not answer now (down, connection lost, deadlock, lock timeout)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__("the feed database", url, reason, FEED_DB_SETTING)


FEED_DB_SETTING = "SAAS_EXPORT_FEED_DB"


@contextmanager
def feed_db_faults(engine: Engine) -> Iterator[None]:
    """Feed-database faults as ours: connection loss, deadlocks and lock-wait timeouts are
    transient (``FeedDatabaseUnavailable``: the caller retries with backoff); a missing table
    or column is terminal (run ``saas-export db upgrade``)."""
    try:
        yield
    except DBAPIError as exc:
        missing = missing_object(exc)
        if missing is not None:
            raise MissingSchemaObject(
                "the feed database", redact(engine.url), missing, "Run `saas-export db upgrade`."
            ) from exc
        if is_transient(exc):
            raise FeedDatabaseUnavailable(redact(engine.url), error_line(exc)) from exc
        raise


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head", *, data_space: str = "default") -> tuple[str | None, str | None]:
    """Bring the feed database to ``revision``; returns (before, after) revisions.

    ``data_space`` is the data space rows written before data spaces existed are given
    (revision 0014): the one they were sent to, i.e. the configured one.
    """
    try:
        before = current_revision(engine)
        with engine.begin() as conn:
            config = _config()
            config.attributes["connection"] = conn
            config.attributes["data_space"] = data_space
            command.upgrade(config, revision)
        return before, current_revision(engine)
    except OperationalError as exc:
        raise FeedDatabaseUnavailable(redact(engine.url), error_line(exc)) from exc
