"""Source fingerprints on the products feed table (skip assembling unchanged products).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cde_products_feed", sa.Column("source_hash", sa.String(40)))


def downgrade() -> None:
    with op.batch_alter_table("cde_products_feed") as batch:
        batch.drop_column("source_hash")
