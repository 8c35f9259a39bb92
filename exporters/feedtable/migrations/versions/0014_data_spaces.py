"""Data spaces: each feed row belongs to the data space its item was sent to.

A feed table's identity becomes (data_space, feed_id): after ``SAAS_EXPORT_DATA_SPACE_ID``
changes, the next resync finds no rows in the new space and sends everything there, while the
old space's rows (and its tombstone knowledge) stay as they were. Existing rows are given the
data space configured when the migration runs (``upgrade(engine, data_space=...)``). Runs
record the data space they synced to.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Frozen: the feed tables as of this revision; never import the live model here.
TABLES = (
    "cde_products_feed",
    "cde_product_variants_feed",
    "inventory_data_exporter_stock_status_feed",
    "scopes_website_data_exporter",
    "scopes_customergroup_data_exporter",
    "cde_product_attributes_feed",
    "cde_categories_feed",
    "sales_data_exporter_orders_v2",
    "cde_product_prices_feed",
    "cde_category_permissions_feed",
    "cde_product_overrides_feed",
)
#: SQLite's unique constraint on feed_id has no name: batch mode names it by this convention.
SQLITE_NAMES = {"uq": "%(table_name)s_%(column_0_name)s_key"}


def upgrade() -> None:
    space = str(context.config.attributes.get("data_space", "default"))
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        op.add_column(table, sa.Column("data_space", sa.String(64), nullable=False, server_default="default"))
        op.execute(sa.text(f"UPDATE {table} SET data_space = :space").bindparams(space=space))
        if dialect == "sqlite":
            with op.batch_alter_table(table, naming_convention=SQLITE_NAMES) as batch:
                batch.drop_constraint(f"{table}_feed_id_key", type_="unique")
                batch.create_unique_constraint(f"{table}_space_feed", ["data_space", "feed_id"])
                batch.drop_index(f"{table}_src_mod")
                batch.create_index(f"{table}_src_mod", ["data_space", "source_entity_id", "modified_at"])
            continue
        if dialect in ("mysql", "mariadb"):
            op.drop_index("feed_id", table_name=table)
        else:
            op.drop_constraint(f"{table}_feed_id_key", table, type_="unique")
        op.create_unique_constraint(f"{table}_space_feed", table, ["data_space", "feed_id"])
        op.drop_index(f"{table}_src_mod", table_name=table)
        op.create_index(f"{table}_src_mod", table, ["data_space", "source_entity_id", "modified_at"])
    op.add_column("saas_run", sa.Column("data_space", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("saas_run") as batch:
        batch.drop_column("data_space")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"{table}_space_feed", type_="unique")
            batch.drop_index(f"{table}_src_mod")
            batch.create_index(f"{table}_src_mod", ["source_entity_id", "modified_at"])
            batch.create_unique_constraint(f"{table}_feed_id_key", ["feed_id"])
            batch.drop_column("data_space")
