"""The variants feed table, cde_product_variants_feed.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import create_feed_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLE = "cde_product_variants_feed"


def upgrade() -> None:
    create_feed_table(op, TABLE)


def downgrade() -> None:
    op.drop_table(TABLE)
