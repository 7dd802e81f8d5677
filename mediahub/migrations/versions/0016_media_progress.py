"""How far the processing of a recording has got (0 … 1), shown to its
author while the worker encodes it; empty when nothing is processed.

Revision ID: 0016_media_progress
Revises: 0015_admin_search_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_media_progress"
down_revision = "0015_admin_search_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("media_assets") as batch:
        batch.add_column(sa.Column("progress", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("media_assets") as batch:
        batch.drop_column("progress")
