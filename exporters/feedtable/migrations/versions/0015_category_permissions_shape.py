"""categoryPermissions in Adobe's shape: rows of the old flat shape are retired as tombstones.

The feed's identity moved from flat ``categoryId``/``websiteCode``/``customerGroupCode`` (one
row per website and group a wildcard expanded to) to Adobe's nested ``id{...}`` (one row per
permission row). Rows of the old shape will never be built again; left as they were, the first
resync would count every one as a deletion and stop at the mass-delete guard. Marked here as
tombstones not yet sent, they are not counted as deletions, and the first resync sends their
tombstones (built from the old stored payload, which the target still identifies) beside the new
items: one ordinary resync. A row rebuilt under the same feed id is simply overwritten.

New rows always store a nested ``"id":{`` (it is part of the minimal payload); old rows never do.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLE = "cde_category_permissions_feed"


def upgrade() -> None:
    op.execute(
        sa.text(
            f"UPDATE {TABLE} SET is_deleted = 1, status = 0 WHERE is_deleted = 0 AND feed_data NOT LIKE :nested"
        ).bindparams(nested='%"id":{%')
    )


def downgrade() -> None:
    """Nothing to undo: the retired rows are tombstones the older code also understands."""
