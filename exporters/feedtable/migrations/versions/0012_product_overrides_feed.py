"""The productOverrides feed table, cde_product_overrides_feed.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import create_feed_table

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLE = "cde_product_overrides_feed"


def upgrade() -> None:
    create_feed_table(op, TABLE)


def downgrade() -> None:
    op.drop_table(TABLE)
