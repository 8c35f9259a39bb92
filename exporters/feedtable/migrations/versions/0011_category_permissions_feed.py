"""The categoryPermissions feed table, cde_category_permissions_feed.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import create_feed_table

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLE = "cde_category_permissions_feed"


def upgrade() -> None:
    create_feed_table(op, TABLE)


def downgrade() -> None:
    op.drop_table(TABLE)
