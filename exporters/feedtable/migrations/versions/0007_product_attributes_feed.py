"""The productAttributes feed table, cde_product_attributes_feed.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import create_feed_table

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLE = "cde_product_attributes_feed"


def upgrade() -> None:
    create_feed_table(op, TABLE)


def downgrade() -> None:
    op.drop_table(TABLE)
