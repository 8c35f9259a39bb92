"""Streaming, batched inserts with explicit primary keys.

A large catalog has tens of millions of rows: they are never held at once. Each table has a
buffer of at most ``batch_size`` rows, written with one executemany when full, which the
drivers turn into multi-row INSERTs (mysqlclient rewrites them, psycopg pipelines them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, select

from exporters.sample_data.staging import Staging

Row = dict[str, Any]


class BatchWriter:
    """Buffers rows per table; hands out the next primary key of each table.

    Rows are given in the Open Source layout; a ``staged`` writer stores them as Adobe Commerce
    does (``exporters.sample_data.staging``).
    """

    def __init__(self, conn: Connection, batch_size: int = 5_000, *, staged: bool = False) -> None:
        self.conn = conn
        self.batch_size = batch_size
        self._buffers: dict[Table, list[Row]] = {}
        self._next_ids: dict[Table, int] = {}
        self._staging = Staging(self.next_id) if staged else None

    def next_id(self, table: Table) -> int:
        """The next free id of ``table``'s single-column key, continuing after rows already there."""
        next_id = self._peek(table)
        self._next_ids[table] = next_id + 1
        return next_id

    def _peek(self, table: Table) -> int:
        next_id = self._next_ids.get(table)
        if next_id is None:
            column = table.autoincrement_column
            if column is None:
                raise TypeError(f"{table.name} has no single-column integer key to number")
            next_id = int(self.conn.execute(select(func.coalesce(func.max(column), 0))).scalar_one()) + 1
        return next_id

    def add(self, table: Table, row: Row) -> None:
        if self._staging is None:
            self._buffer(table, row)
        else:
            for staged_table, staged_row in self._staging.rows(table, row):
                self._buffer(staged_table, staged_row)

    def _buffer(self, table: Table, row: Row) -> None:
        buffer = self._buffers.get(table)
        if buffer is None:
            buffer = self._buffers[table] = []
        buffer.append(row)
        if len(buffer) >= self.batch_size:
            self._write(table, buffer)

    def value(self, table: Table, entity_id: int, attribute_id: int, store_id: int, value: Any) -> None:
        """One EAV value row (``value`` None is written: a NULL store row is a real override)."""
        self.add(
            table,
            {
                "value_id": self.next_id(table),
                "attribute_id": attribute_id,
                "store_id": store_id,
                "entity_id": entity_id,
                "value": value,
            },
        )

    def flush(self) -> None:
        for table, buffer in self._buffers.items():
            if buffer:
                self._write(table, buffer)

    def _write(self, table: Table, buffer: list[Row]) -> None:
        self.conn.execute(table.insert(), buffer)
        buffer.clear()
