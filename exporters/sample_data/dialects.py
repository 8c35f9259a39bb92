"""What each database needs so that bulk inserts with explicit ids are correct and fast.

Every row the generator writes carries its primary key: the ids are then the same on every
database and for every run with the same seed. Two servers need help with that:

* MariaDB turns an explicit ``0`` in an AUTO_INCREMENT column into the next id unless
  ``NO_AUTO_VALUE_ON_ZERO`` is set; Magento's setup sets it to write the admin website, store
  and the NOT LOGGED IN customer group, all with id 0.
* PostgreSQL does not advance a SERIAL sequence for explicit ids, so the next insert that
  relies on the sequence (a test adding a row by hand) would collide: sequences are moved
  past the highest id after writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Table, text


def backend(conn: Connection) -> str:
    return conn.dialect.name


@contextmanager
def explicit_zero_ids(conn: Connection) -> Iterator[None]:
    """Let MariaDB store id 0 in AUTO_INCREMENT columns for the duration of the block."""
    if backend(conn) not in ("mysql", "mariadb"):
        yield
        return
    previous = conn.execute(text("SELECT @@SESSION.sql_mode")).scalar_one()
    modes = [m for m in str(previous).split(",") if m]
    conn.execute(text("SET SESSION sql_mode = :mode"), {"mode": ",".join([*modes, "NO_AUTO_VALUE_ON_ZERO"])})
    try:
        yield
    finally:
        conn.execute(text("SET SESSION sql_mode = :mode"), {"mode": previous})


def tune_for_bulk_load(conn: Connection) -> None:
    """Skip per-row secondary unique and FK checks on MariaDB: the generator's keys are unique by
    construction (SQLite and PostgreSQL, which keep checking, prove it in the tests).
    """
    if backend(conn) in ("mysql", "mariadb"):
        conn.execute(text("SET SESSION unique_checks = 0, foreign_key_checks = 0"))


def restore_checks(conn: Connection) -> None:
    if backend(conn) in ("mysql", "mariadb"):
        conn.execute(text("SET SESSION unique_checks = 1, foreign_key_checks = 1"))


def sync_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """Move each PostgreSQL SERIAL sequence past the highest id written explicitly."""
    if backend(conn) != "postgresql":
        return
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
            ),
            {"table": table.name, "column": column.name},
        )
