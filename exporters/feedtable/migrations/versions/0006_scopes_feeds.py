"""The scopes feed tables (legacy feeds, stored like every other feed table here).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

from exporters.feedtable.tables import create_feed_table

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("scopes_website_data_exporter", "scopes_customergroup_data_exporter")


def upgrade() -> None:
    for table in TABLES:
        create_feed_table(op, table)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
