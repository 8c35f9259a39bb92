"""The orders feed table (a legacy feed, stored like the others), sales_data_exporter_orders_v2.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import create_feed_table

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLE = "sales_data_exporter_orders_v2"


def upgrade() -> None:
    create_feed_table(op, TABLE)


def downgrade() -> None:
    op.drop_table(TABLE)
