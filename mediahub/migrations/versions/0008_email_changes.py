"""Email address changes: confirmation links and notices.

Revision ID: 0008_email_changes
Revises: 0007_published_indexes
"""

import sqlalchemy as sa
from alembic import op

import mediahub.core.types

revision = "0008_email_changes"
down_revision = "0007_published_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "email_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("new_email", sa.String(length=254), nullable=False),
        sa.Column("old_email", sa.String(length=254), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("is_admin_change", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", mediahub.core.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", mediahub.core.types.UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", mediahub.core.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_email_changes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_changes")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_email_changes_token_hash")),
    )
    with op.batch_alter_table("email_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_changes_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_changes_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("email_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_changes_user_id"))
        batch_op.drop_index(batch_op.f("ix_email_changes_expires_at"))
    op.drop_table("email_changes")
