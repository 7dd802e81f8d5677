"""Tag rewrites of processed audio, and what editors saw at their last decision.

Revision ID: 0009_tag_rewrites_snapshots
Revises: 0008_email_changes
"""

import sqlalchemy as sa
from alembic import op

import mediahub.core.types

# At most 32 characters: alembic_version.version_num is VARCHAR(32) on PostgreSQL.
revision = "0009_tag_rewrites_snapshots"
down_revision = "0008_email_changes"
branch_labels = None
depends_on = None

_ITEMS = ("episodes", "posts")


def upgrade():
    with op.batch_alter_table("media_assets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tags_version", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("tags_written", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("tags_heartbeat_at", mediahub.core.types.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("tags_attempts", sa.Integer(), server_default="0", nullable=False)
        )
    for table in _ITEMS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("review_snapshot", sa.JSON(), nullable=True))


def downgrade():
    for table in _ITEMS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("review_snapshot")
    with op.batch_alter_table("media_assets", schema=None) as batch_op:
        batch_op.drop_column("tags_attempts")
        batch_op.drop_column("tags_heartbeat_at")
        batch_op.drop_column("tags_written")
        batch_op.drop_column("tags_version")
