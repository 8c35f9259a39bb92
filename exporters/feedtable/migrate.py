"""Feed database migrations (``saas-export db upgrade``), run through Alembic's API."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from exporters.db import redact
from exporters.exceptions import TransientError, error_line, unreachable

MIGRATIONS = Path(__file__).with_name("migrations")


class FeedDatabaseUnavailable(TransientError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(unreachable("the feed database", url, reason, "SAAS_EXPORT_FEED_DB"))


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Bring the feed database to ``revision``; returns (before, after) revisions."""
    try:
        before = current_revision(engine)
        with engine.begin() as conn:
            config = _config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
        return before, current_revision(engine)
    except OperationalError as exc:
        raise FeedDatabaseUnavailable(redact(engine.url), error_line(exc)) from exc
