"""Engines for the source and feed databases: one place for URL handling and secrets."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from exporters.exceptions import TerminalError

#: Drivers this project installs; bare dialect names get them instead of SQLAlchemy's defaults.
_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+mysqldb",
    "mariadb": "mariadb+mysqldb",
}


class BadDatabaseUrl(TerminalError):
    """A database URL SQLAlchemy cannot parse."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"'{redact(url)}' is not a database URL. Use e.g. sqlite:///var/catalog.sqlite, "
            "mysql://user:pass@host/db or postgresql://user@host/db"
        )


def parse_url(url: str) -> URL:
    """Parse and give bare dialect names the driver this project ships with."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise BadDatabaseUrl(url) from exc
    driver = _DRIVERS.get(parsed.drivername)
    return parsed.set(drivername=driver) if driver else parsed


def redact(url: str | URL) -> str:
    """The URL with its password masked: the only form a URL may take in a message or log."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except ArgumentError:
        return "<unparseable database URL>"
    return parsed.render_as_string(hide_password=True)


def create_db_engine(url: str, *, create_sqlite_dir: bool = False) -> Engine:
    """An engine with settings that suit short bulk reads and writes from many workers.

    SQLite gets WAL and a busy timeout so that the feed DB can be written by the in-process
    worker threads of the embedded default without "database is locked" failures.
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if create_sqlite_dir and database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() in ("mysql", "mariadb"):
        connect_args = {"charset": "utf8mb4", "init_command": "SET time_zone = '+00:00'"}
    return create_engine(parsed, pool_pre_ping=True, pool_recycle=3600, connect_args=connect_args)
