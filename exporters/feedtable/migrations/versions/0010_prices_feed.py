"""The prices feed table, cde_product_prices_feed.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import create_feed_table

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLE = "cde_product_prices_feed"


def upgrade() -> None:
    create_feed_table(op, TABLE)


def downgrade() -> None:
    op.drop_table(TABLE)
