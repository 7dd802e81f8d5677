"""Resumable uploads: one row per upload in progress.

Revision ID: 0005_upload_sessions
Revises: 0004_invitations
"""

import sqlalchemy as sa
from alembic import op

import mediahub.core.types

revision = '0005_upload_sessions'
down_revision = '0004_invitations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('upload_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('episode_audio', name='uploadpurpose', native_enum=False, length=24), nullable=False),
    sa.Column('length', sa.BigInteger(), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('created_at', mediahub.core.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', mediahub.core.types.UTCDateTime(), nullable=False),
    sa.Column('completed_at', mediahub.core.types.UTCDateTime(), nullable=True),
    sa.Column('asset_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_upload_sessions_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_upload_sessions_episode_id_episodes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['asset_id'], ['media_assets.id'], name=op.f('fk_upload_sessions_asset_id_media_assets'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_sessions'))
    )
    with op.batch_alter_table('upload_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upload_sessions_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_upload_sessions_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('upload_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upload_sessions_expires_at'))
        batch_op.drop_index(batch_op.f('ix_upload_sessions_user_id'))

    op.drop_table('upload_sessions')
