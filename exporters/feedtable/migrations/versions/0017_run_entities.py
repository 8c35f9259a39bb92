"""The entities a ``--by-ids`` run was asked for: one row per resolved source id.

A run's options are a TEXT column (64 KiB on MariaDB): 100,000 ids do not fit there, so the
resolved ids live in their own rows, read by the run's chunks (docs/resync-options.md).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saas_run_entity",
        sa.Column("run_id", sa.String(32), sa.ForeignKey("saas_run.run_id", ondelete="CASCADE"), nullable=False),
        sa.Column("source_entity_id", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "source_entity_id"),
    )


def downgrade() -> None:
    op.drop_table("saas_run_entity")
