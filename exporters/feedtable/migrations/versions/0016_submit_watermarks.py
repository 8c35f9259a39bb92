"""Legacy feeds collect, then submit: a watermark per feed and data space.

A legacy feed's resync only writes its rows; a submit step then sends the rows modified since
the last successful submit and records, after each accepted batch, how far it got
(docs/change-detection.md#two-modes).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# Frozen: the columns as of this revision; never import the live model here.
PRECISE_TIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql").with_variant(mysql.DATETIME(fsp=6), "mariadb")


def upgrade() -> None:
    op.create_table(
        "saas_submit_watermark",
        sa.Column("feed", sa.String(64), nullable=False),
        sa.Column("data_space", sa.String(64), nullable=False),
        sa.Column("submitted_until", sa.DateTime, nullable=False),
        sa.Column("submitted_at", PRECISE_TIME, nullable=False),
        sa.PrimaryKeyConstraint("feed", "data_space"),
    )


def downgrade() -> None:
    op.drop_table("saas_submit_watermark")
