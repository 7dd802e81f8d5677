"""Listener statistics: the day's secret, raw events and daily rollups.

None of these tables holds an address or a user agent (mediahub/stats).

Revision ID: 0011_listener_statistics
Revises: 0010_password_resets
"""

import sqlalchemy as sa
from alembic import op

revision = '0011_listener_statistics'
down_revision = '0010_password_resets'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stats_day_secrets',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(length=80), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_stats_day_secrets'))
    )
    op.create_table('stats_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('feed', sa.String(length=8), nullable=True),
    sa.Column('listener', sa.BigInteger(), nullable=False),
    sa.Column('agent_kind', sa.String(length=8), nullable=False),
    sa.Column('agent', sa.String(length=60), nullable=False),
    sa.Column('device', sa.String(length=30), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('start', sa.BigInteger(), nullable=False),
    sa.Column('stop', sa.BigInteger(), nullable=False),
    sa.Column('needed', sa.BigInteger(), nullable=False),
    sa.Column('subscribers', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_events'))
    )
    with op.batch_alter_table('stats_events', schema=None) as batch_op:
        batch_op.create_index('ix_stats_events_rollup', ['day', 'kind', 'episode_id', 'listener'], unique=False)

    op.create_table('stats_rollup_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_event_id', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_rollup_state'))
    )
    op.create_table('stats_feed_days',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('feed', sa.String(length=8), nullable=False),
    sa.Column('listeners', sa.Integer(), nullable=False),
    sa.Column('announced', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_stats_feed_days_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_feed_days'))
    )
    with op.batch_alter_table('stats_feed_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stats_feed_days_day'), ['day'], unique=False)
        batch_op.create_index('ix_stats_feed_days_scope', ['group_id', 'day'], unique=False)

    op.create_table('stats_group_days',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('dimension', sa.String(length=8), nullable=False),
    sa.Column('value', sa.String(length=60), nullable=False),
    sa.Column('downloads', sa.Integer(), nullable=False),
    sa.Column('listeners', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_stats_group_days_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_group_days'))
    )
    with op.batch_alter_table('stats_group_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stats_group_days_day'), ['day'], unique=False)
        batch_op.create_index('ix_stats_group_days_scope', ['group_id', 'dimension', 'day'], unique=False)

    op.create_table('stats_daily',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('app', sa.String(length=60), nullable=False),
    sa.Column('device', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('downloads', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_stats_daily_episode_id_episodes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_stats_daily_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_daily'))
    )
    with op.batch_alter_table('stats_daily', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stats_daily_day'), ['day'], unique=False)
        batch_op.create_index('ix_stats_daily_episode', ['episode_id', 'day'], unique=False)
        batch_op.create_index('ix_stats_daily_group', ['group_id', 'day'], unique=False)

    op.create_table('stats_episode_days',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('downloads', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_stats_episode_days_episode_id_episodes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_stats_episode_days_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_episode_days'))
    )
    with op.batch_alter_table('stats_episode_days', schema=None) as batch_op:
        batch_op.create_index('ix_stats_episode_days_age', ['group_id', 'age', 'episode_id', 'downloads'], unique=False)
        batch_op.create_index(batch_op.f('ix_stats_episode_days_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_stats_episode_days_episode_id'), ['episode_id'], unique=False)
        batch_op.create_index('ix_stats_episode_days_group', ['group_id', 'day', 'episode_id', 'downloads'], unique=False)



def downgrade():
    with op.batch_alter_table('stats_episode_days', schema=None) as batch_op:
        batch_op.drop_index('ix_stats_episode_days_group')
        batch_op.drop_index(batch_op.f('ix_stats_episode_days_episode_id'))
        batch_op.drop_index(batch_op.f('ix_stats_episode_days_day'))
        batch_op.drop_index('ix_stats_episode_days_age')

    op.drop_table('stats_episode_days')
    with op.batch_alter_table('stats_daily', schema=None) as batch_op:
        batch_op.drop_index('ix_stats_daily_group')
        batch_op.drop_index('ix_stats_daily_episode')
        batch_op.drop_index(batch_op.f('ix_stats_daily_day'))

    op.drop_table('stats_daily')
    with op.batch_alter_table('stats_group_days', schema=None) as batch_op:
        batch_op.drop_index('ix_stats_group_days_scope')
        batch_op.drop_index(batch_op.f('ix_stats_group_days_day'))

    op.drop_table('stats_group_days')
    with op.batch_alter_table('stats_feed_days', schema=None) as batch_op:
        batch_op.drop_index('ix_stats_feed_days_scope')
        batch_op.drop_index(batch_op.f('ix_stats_feed_days_day'))

    op.drop_table('stats_feed_days')
    op.drop_table('stats_rollup_state')
    with op.batch_alter_table('stats_events', schema=None) as batch_op:
        batch_op.drop_index('ix_stats_events_rollup')

    op.drop_table('stats_events')
    op.drop_table('stats_day_secrets')
