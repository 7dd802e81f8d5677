"""Group invitations, kept form drafts, worker heartbeats.

Revision ID: 0004_invitations
Revises: 0003_feeds_site
"""

import sqlalchemy as sa
from alembic import op

import mediahub.core.types

revision = '0004_invitations'
down_revision = '0003_feeds_site'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.Enum('member', 'editor', 'manager', name='grouprole', native_enum=False, length=24), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', mediahub.core.types.UTCDateTime(), nullable=False),
    sa.Column('sent_at', mediahub.core.types.UTCDateTime(), nullable=True),
    sa.Column('expires_at', mediahub.core.types.UTCDateTime(), nullable=False),
    sa.Column('accepted_at', mediahub.core.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_invitations_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_group_id'), ['group_id'], unique=False)

    op.create_table('kept_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', mediahub.core.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', mediahub.core.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_drafts')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_kept_drafts_key_hash'))
    )
    with op.batch_alter_table('kept_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_drafts_expires_at'), ['expires_at'], unique=False)

    op.create_table('worker_heartbeats',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('seen_at', mediahub.core.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_heartbeats'))
    )
    with op.batch_alter_table('worker_heartbeats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_heartbeats_seen_at'), ['seen_at'], unique=False)


def downgrade():
    with op.batch_alter_table('worker_heartbeats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_heartbeats_seen_at'))
    op.drop_table('worker_heartbeats')

    with op.batch_alter_table('kept_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_drafts_expires_at'))
    op.drop_table('kept_drafts')

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_group_id'))
    op.drop_table('invitations')
