"""The categories feed table, cde_categories_feed.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import create_feed_table

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = "cde_categories_feed"


def upgrade() -> None:
    create_feed_table(op, TABLE)


def downgrade() -> None:
    op.drop_table(TABLE)
