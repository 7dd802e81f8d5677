"""Trigram indexes for the admins' searches (PostgreSQL, pg_trgm): people by
part of their name or email address, groups by part of their web address
(their names have one since 0013). Each "contains" (ILIKE '%…%') of the
search is then answered from an index instead of reading 200,000 people or
100,000 groups. Left out with a warning where pg_trgm is not available; the
search still works, only slower. SQLite reads every row, as before.

Revision ID: 0015_admin_search_indexes
Revises: 0014_clips_fediverse
"""

import logging

from alembic import op
from sqlalchemy import text

revision = "0015_admin_search_indexes"
down_revision = "0014_clips_fediverse"
branch_labels = None
depends_on = None

#: Index name → (table, column); mediahub.groups.models lists them as hand-made.
TRIGRAM = {
    "ix_users_display_name_trgm": ("users", "display_name"),
    "ix_users_email_trgm": ("users", "email"),
    "ix_groups_slug_trgm": ("groups", "slug"),
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    available = bind.execute(
        text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).scalar()
    if not available:
        logging.getLogger("alembic").warning(
            "pg_trgm is not installed: the admins' searches work without their indexes"
        )
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in TRIGRAM.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in TRIGRAM:
        op.execute(f"DROP INDEX IF EXISTS {name}")
