"""Runs, chunks and feed locks.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Microsecond timestamps: MariaDB's DATETIME keeps whole seconds unless told otherwise.
PRECISE_TIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    # Frozen: the columns and indexes as of this revision; never import the live model here.
    op.create_table(
        "saas_run",
        sa.Column("run_id", sa.String(32), primary_key=True),
        sa.Column("feed", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("batch_size", sa.Integer, nullable=False),
        sa.Column("thread_count", sa.Integer, nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("created_at", PRECISE_TIME, nullable=False),
        sa.Column("finished_at", PRECISE_TIME),
        sa.Column("chunks_total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("built", sa.Integer, nullable=False, server_default="0"),
        sa.Column("sent", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("tombstones", sa.Integer, nullable=False, server_default="0"),
        sa.Column("report", sa.Text),
        sa.Column("error", sa.Text),
    )
    op.create_index("saas_run_feed_created", "saas_run", ["feed", "created_at"])
    op.create_table(
        "saas_chunk",
        sa.Column("run_id", sa.String(32), sa.ForeignKey("saas_run.run_id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("lo", sa.BigInteger, nullable=False),
        sa.Column("hi", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("built", sa.Integer, nullable=False, server_default="0"),
        sa.Column("sent", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("tombstones", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
        sa.Column("item_errors", sa.Text),
        sa.Column("worker", sa.String(255)),
        sa.Column("started_at", PRECISE_TIME),
        sa.Column("finished_at", PRECISE_TIME),
        sa.PrimaryKeyConstraint("run_id", "seq"),
    )
    op.create_table(
        "saas_feed_lock",
        sa.Column("feed", sa.String(64), primary_key=True),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("acquired_at", PRECISE_TIME, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("saas_feed_lock")
    op.drop_table("saas_chunk")
    op.drop_table("saas_run")
