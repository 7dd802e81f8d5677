"""Private feed tokens, site texts, content notes, transcripts, episode art.

Revision ID: 0003_feeds_site
Revises: 0002_jingles_disguise_chapters
"""

import sqlalchemy as sa
from alembic import op

import mediahub.core.types

revision = '0003_feeds_site'
down_revision = '0002_jingles_disguise_chapters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('site_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Enum('impressum', 'privacy', 'help_footer', name='sitetextkey', native_enum=False, length=24), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', mediahub.core.types.UTCDateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_site_texts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_texts')),
    sa.UniqueConstraint('key', 'language', name=op.f('uq_site_texts_key_language'))
    )
    op.create_table('feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', mediahub.core.types.UTCDateTime(), nullable=False),
    sa.Column('last_used_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_feed_tokens_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_feed_tokens_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash'))
    )
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_tokens_group_id'), ['group_id'], unique=False)

    with op.batch_alter_table('episodes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transcript_vtt', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('image_asset_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('content_note', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_episodes_image_asset_id_media_assets'), 'media_assets', ['image_asset_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_note', sa.String(length=200), server_default='', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_credited', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_credited')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('content_note')

    with op.batch_alter_table('episodes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_episodes_image_asset_id_media_assets'), type_='foreignkey')
        batch_op.drop_column('content_note')
        batch_op.drop_column('image_asset_id')
        batch_op.drop_column('transcript_vtt')

    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_tokens_group_id'))

    op.drop_table('feed_tokens')
    op.drop_table('site_texts')
