"""Engines for the source and feed databases: one place for URL handling and secrets."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from exporters.exceptions import TerminalError, TransientError, unreachable

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


# Errors that pass: the server went away or refused us for now, a deadlock or lock-wait timeout.
#: MySQL/MariaDB error numbers: too many connections, shutdown, lock wait timeout, deadlock,
#: connection killed, can't connect, server gone away, lost connection.
_MYSQL_TRANSIENT = frozenset({1040, 1053, 1205, 1213, 1927, 2002, 2003, 2006, 2013, 2055})
#: PostgreSQL SQLSTATEs: serialization failure, deadlock, lock not available, too many
#: connections, admin/crash shutdown, cannot connect now (and every class 08 connection error).
_PG_TRANSIENT = frozenset({"40001", "40P01", "55P03", "53300", "57P01", "57P02", "57P03"})
_SQLITE_TRANSIENT = ("database is locked", "database table is locked", "unable to open database file", "disk i/o")
_MISSING = (
    re.compile(r"no such (table|column): ([\w.]+)"),  # SQLite
    re.compile(r"Table '(?:[^'.]+\.)?([^']+)' doesn't exist"),  # MariaDB 1146
    re.compile(r"Unknown column '([^']+)'"),  # MariaDB 1054
    re.compile(r'relation "([^"]+)" does not exist'),  # PostgreSQL 42P01
    re.compile(r"column ([\w.\"]+) does not exist"),  # PostgreSQL 42703
)


def missing_object(exc: DBAPIError) -> str | None:
    """``table X`` or ``column Y`` when the statement named something the database does not have."""
    text = str(exc.orig or exc)
    for pattern in _MISSING:
        match = pattern.search(text)
        if match is None:
            continue
        if match.lastindex == 2:  # SQLite says which kind
            return f"{match.group(1)} {match.group(2)}"
        kind = "table" if ("Table" in pattern.pattern or "relation" in pattern.pattern) else "column"
        return f"{kind} {match.group(1).replace(chr(34), '')}"
    return None


def is_transient(exc: DBAPIError) -> bool:
    """Whether retrying the same statement later may succeed."""
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    code = getattr(orig, "args", (None,))[0] if orig is not None else None
    if isinstance(code, int):  # MySQL/MariaDB: the listed server errors, and every client (2xxx) error
        return code in _MYSQL_TRANSIENT or 2000 <= code < 3000
    module = type(orig).__module__
    if module.startswith("psycopg"):  # no SQLSTATE: the connection itself failed
        sqlstate = getattr(orig, "sqlstate", None)
        return sqlstate is None or sqlstate in _PG_TRANSIENT or sqlstate.startswith("08")
    message = str(orig or exc).lower()
    return module.startswith("sqlite3") and any(text in message for text in _SQLITE_TRANSIENT)


class DatabaseUnavailable(TransientError):
    """A database could not answer now (down, connection lost, deadlock, lock timeout): retry."""

    def __init__(self, what: str, url: str, reason: str, setting: str) -> None:
        super().__init__(unreachable(what, url, reason, setting))
        self.url = url


class MissingSchemaObject(TerminalError):
    """A statement named a table or column the database does not have: retrying cannot help."""

    def __init__(self, what: str, url: str, missing: str, hint: str) -> None:
        super().__init__(f"{what} at {url} has no {missing}. {hint}")
        self.missing = missing
