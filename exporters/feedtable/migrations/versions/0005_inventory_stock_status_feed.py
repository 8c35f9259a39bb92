"""The inventoryStockStatus feed table, inventory_data_exporter_stock_status_feed.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import create_feed_table

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLE = "inventory_data_exporter_stock_status_feed"


def upgrade() -> None:
    create_feed_table(op, TABLE)


def downgrade() -> None:
    op.drop_table(TABLE)
