"""Runs, chunks and feed locks.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

from exporters.runs.tables import chunk_columns, lock_columns, run_columns

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("saas_run", *run_columns())
    op.create_index("saas_run_feed_created", "saas_run", ["feed", "created_at"])
    op.create_table("saas_chunk", *chunk_columns())
    op.create_table("saas_feed_lock", *lock_columns())


def downgrade() -> None:
    op.drop_table("saas_feed_lock")
    op.drop_table("saas_chunk")
    op.drop_table("saas_run")
