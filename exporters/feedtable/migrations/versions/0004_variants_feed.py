"""The variants feed table, cde_product_variants_feed.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import feed_table_columns, feed_table_indexes

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLE = "cde_product_variants_feed"


def upgrade() -> None:
    # The feed-table columns as of this revision (0001's plus 0003's source_hash).
    op.create_table(TABLE, *feed_table_columns())
    for index in feed_table_indexes(TABLE):
        op.create_index(index.name, TABLE, [str(c) for c in index.expressions])


def downgrade() -> None:
    op.drop_table(TABLE)
