"""Forgotten passwords: one-time links to set a new one.

Revision ID: 0010_password_resets
Revises: 0009_tag_rewrites_snapshots
"""

import sqlalchemy as sa
from alembic import op

import mediahub.core.types

revision = "0010_password_resets"
down_revision = "0009_tag_rewrites_snapshots"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("is_admin_request", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", mediahub.core.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", mediahub.core.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", mediahub.core.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_password_resets_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_password_resets_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_password_resets_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_resets_user_id"))
        batch_op.drop_index(batch_op.f("ix_password_resets_expires_at"))
    op.drop_table("password_resets")
