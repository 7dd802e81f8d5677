"""Group intro/outro jingles, episode voice disguise and chapters.

Revision ID: 0002_jingles_disguise_chapters
Revises: fabeb049e4f9
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_jingles_disguise_chapters"
down_revision = "fabeb049e4f9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("intro_asset_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("outro_asset_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_groups_intro_asset_id_media_assets"),
                                    "media_assets", ["intro_asset_id"], ["id"],
                                    ondelete="SET NULL")
        batch_op.create_foreign_key(batch_op.f("fk_groups_outro_asset_id_media_assets"),
                                    "media_assets", ["outro_asset_id"], ["id"],
                                    ondelete="SET NULL")
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disguise_voice", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("chapters", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.drop_column("chapters")
        batch_op.drop_column("disguise_voice")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_groups_outro_asset_id_media_assets"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_groups_intro_asset_id_media_assets"),
                                 type_="foreignkey")
        batch_op.drop_column("outro_asset_id")
        batch_op.drop_column("intro_asset_id")
