"""The productAttributes feed table, cde_product_attributes_feed.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLE = "cde_product_attributes_feed"


def upgrade() -> None:
    # Frozen: the columns and indexes as of this revision; never import the live model here.
    op.create_table(
        TABLE,
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
    op.create_index(f"{TABLE}_src_mod", TABLE, ["source_entity_id", "modified_at"])
    op.create_index(f"{TABLE}_status", TABLE, ["status"])


def downgrade() -> None:
    op.drop_table(TABLE)
