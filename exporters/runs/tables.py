"""Runs, chunks and feed locks: the rows that are the truth about a resync.

Messages only say which chunk to look at; what ran, what failed, who holds a feed and who
claimed a chunk is read from these tables, so a lost or duplicated message never loses track of a
run (docs/reliability.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.types import TypeEngine

from exporters.model import Counts

runs_metadata = MetaData()

#: Microsecond timestamps (MariaDB's DATETIME keeps whole seconds unless told otherwise):
#: chunk start/finish times are compared to prove how many chunks ran at once.
PRECISE_TIME: TypeEngine[Any] = (
    DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql").with_variant(mysql.DATETIME(fsp=6), "mariadb")
)


#: LONGTEXT on MariaDB/MySQL (4 GiB), where TEXT stops at 64 KiB: reports and item errors.
LONG_TEXT: TypeEngine[Any] = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


def _counts() -> list[Column[Any]]:
    return [Column(name, Integer, nullable=False, server_default="0") for name in Counts.names()]


runs = Table(
    "saas_run",
    runs_metadata,
    Column("run_id", String(32), primary_key=True),
    Column("feed", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("options", Text, nullable=False),
    Column("batch_size", Integer, nullable=False),
    Column("thread_count", Integer, nullable=False),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("created_at", PRECISE_TIME, nullable=False),
    Column("finished_at", PRECISE_TIME),
    Column("chunks_total", Integer, nullable=False, server_default="0"),
    *_counts(),
    Column("report", LONG_TEXT),
    Column("error", Text),
    # Leases and the row barrier (migration 0013, docs/reliability.md).
    Column("lease_until", PRECISE_TIME),
    Column("dispatched_at", PRECISE_TIME),
    Column("finalize_sent_at", PRECISE_TIME),
    Column("finalizer", String(32)),
    Column("accepted_before", Integer),
    # The data space the run synced to (migration 0014).
    Column("data_space", String(64)),
    Index("saas_run_feed_created", "feed", "created_at"),
)
chunks = Table(
    "saas_chunk",
    runs_metadata,
    Column("run_id", String(32), ForeignKey("saas_run.run_id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("lo", BigInteger, nullable=False),
    Column("hi", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    *_counts(),
    Column("error", Text),
    Column("item_errors", LONG_TEXT),
    Column("worker", String(255)),
    Column("started_at", PRECISE_TIME),
    Column("finished_at", PRECISE_TIME),
    # Claims, leases, the lane's hand-on and deferred tombstones (migration 0013).
    Column("token", String(32)),
    Column("lease_until", PRECISE_TIME),
    Column("dispatched_at", PRECISE_TIME),
    Column("handed_on_at", PRECISE_TIME),
    Column("vanished", Integer, nullable=False, server_default="0"),
    Column("vanished_ids", LONG_TEXT),
    Column("buried_at", PRECISE_TIME),
    PrimaryKeyConstraint("run_id", "seq"),
)
locks = Table(
    "saas_feed_lock",
    runs_metadata,
    Column("feed", String(64), primary_key=True),
    Column("run_id", String(32), nullable=False),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("acquired_at", PRECISE_TIME, nullable=False),
    Column("lease_until", PRECISE_TIME),
)
#: The source ids a ``--by-ids`` run was asked for, resolved at planning (migration 0017): only
#: these entities are built and sent by its chunks.
run_entities = Table(
    "saas_run_entity",
    runs_metadata,
    Column("run_id", String(32), ForeignKey("saas_run.run_id", ondelete="CASCADE"), nullable=False),
    Column("source_entity_id", BigInteger, nullable=False),
    PrimaryKeyConstraint("run_id", "source_entity_id"),
)
#: One row per claim of a chunk: who ran it, when, and how it ended (proves no two overlapped).
claims = Table(
    "saas_chunk_claim",
    runs_metadata,
    Column("token", String(32), primary_key=True),
    Column("run_id", String(32), ForeignKey("saas_run.run_id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("worker", String(255), nullable=False),
    Column("claimed_at", PRECISE_TIME, nullable=False),
    Column("ended_at", PRECISE_TIME),
    Column("outcome", String(16)),
    Index("saas_chunk_claim_chunk", "run_id", "seq"),
)
#: How far each legacy feed's submit got in each data space: the ``modified_at`` of the last row of
#: its last accepted batch (migration 0016, docs/change-detection.md#two-modes).
watermarks = Table(
    "saas_submit_watermark",
    runs_metadata,
    Column("feed", String(64), nullable=False),
    Column("data_space", String(64), nullable=False),
    Column("submitted_until", DateTime, nullable=False),
    Column("submitted_at", PRECISE_TIME, nullable=False),
    PrimaryKeyConstraint("feed", "data_space"),
)
