"""The products feed table, cde_products_feed.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import feed_table_columns, feed_table_indexes

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLE = "cde_products_feed"


def upgrade() -> None:
    op.create_table(TABLE, *feed_table_columns())
    for index in feed_table_indexes(TABLE):
        op.create_index(index.name, TABLE, [str(c) for c in index.expressions])


def downgrade() -> None:
    op.drop_table(TABLE)
