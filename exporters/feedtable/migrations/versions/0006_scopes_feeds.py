"""The scopes feed tables (legacy feeds, stored like every other feed table here).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("scopes_website_data_exporter", "scopes_customergroup_data_exporter")


def upgrade() -> None:
    # Frozen: the columns and indexes as of this revision; never import the live model here.
    for table in TABLES:
        op.create_table(
            table,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("source_entity_id", sa.BigInteger, nullable=False),
            sa.Column("feed_id", sa.String(64), nullable=False, unique=True),
            sa.Column("modified_at", sa.DateTime, nullable=False),
            sa.Column("is_deleted", sa.SmallInteger, nullable=False, server_default="0"),
            sa.Column("status", sa.SmallInteger, nullable=False, server_default="0"),
            sa.Column("feed_data", sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb"), nullable=False),
            sa.Column("feed_hash", sa.String(64)),
            sa.Column("errors", sa.Text),
            sa.Column("metadata", sa.Text),
            sa.Column("source_hash", sa.String(40)),
        )
        op.create_index(f"{table}_src_mod", table, ["source_entity_id", "modified_at"])
        op.create_index(f"{table}_status", table, ["status"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
