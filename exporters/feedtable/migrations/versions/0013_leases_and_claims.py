"""Leases, chunk claims, the lane hand-on, deferred tombstones, and reports that fit.

Runs, chunks and feed locks get lease columns (a run is taken over when its lease runs out,
never by probing a pid); chunks get their claim token, hand-on and deferred-tombstone columns;
``saas_chunk_claim`` logs every claim. On MariaDB/MySQL the run report and chunk item errors
become LONGTEXT: TEXT's 64 KiB failed a report of a few hundred item errors in strict mode.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# Frozen: the columns as of this revision; never import the live model here.
PRECISE_TIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
LONG_TEXT = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


def upgrade() -> None:
    for name in ("lease_until", "dispatched_at", "finalize_sent_at"):
        op.add_column("saas_run", sa.Column(name, PRECISE_TIME))
    op.add_column("saas_run", sa.Column("finalizer", sa.String(32)))
    op.add_column("saas_run", sa.Column("accepted_before", sa.Integer))
    op.add_column("saas_chunk", sa.Column("token", sa.String(32)))
    for name in ("lease_until", "dispatched_at", "handed_on_at"):
        op.add_column("saas_chunk", sa.Column(name, PRECISE_TIME))
    op.add_column("saas_chunk", sa.Column("vanished", sa.Integer, nullable=False, server_default="0"))
    op.add_column("saas_chunk", sa.Column("vanished_ids", LONG_TEXT))
    op.add_column("saas_chunk", sa.Column("buried_at", PRECISE_TIME))
    op.add_column("saas_feed_lock", sa.Column("lease_until", PRECISE_TIME))
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        op.alter_column("saas_run", "report", type_=mysql.LONGTEXT(), existing_type=sa.Text())
        op.alter_column("saas_chunk", "item_errors", type_=mysql.LONGTEXT(), existing_type=sa.Text())
    op.create_table(
        "saas_chunk_claim",
        sa.Column("token", sa.String(32), primary_key=True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("saas_run.run_id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(255), nullable=False),
        sa.Column("claimed_at", PRECISE_TIME, nullable=False),
        sa.Column("ended_at", PRECISE_TIME),
        sa.Column("outcome", sa.String(16)),
    )
    op.create_index("saas_chunk_claim_chunk", "saas_chunk_claim", ["run_id", "seq"])


def downgrade() -> None:
    op.drop_table("saas_chunk_claim")
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        op.alter_column("saas_chunk", "item_errors", type_=sa.Text(), existing_type=mysql.LONGTEXT())
        op.alter_column("saas_run", "report", type_=sa.Text(), existing_type=mysql.LONGTEXT())
    with op.batch_alter_table("saas_feed_lock") as batch:
        batch.drop_column("lease_until")
    with op.batch_alter_table("saas_chunk") as batch:
        for name in ("token", "lease_until", "dispatched_at", "handed_on_at", "vanished", "vanished_ids", "buried_at"):
            batch.drop_column(name)
    with op.batch_alter_table("saas_run") as batch:
        for name in ("lease_until", "dispatched_at", "finalize_sent_at", "finalizer", "accepted_before"):
            batch.drop_column(name)
