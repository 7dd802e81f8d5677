"""Search by group name at national scale: trigram indexes on the groups'
name and description (PostgreSQL's pg_trgm), so "contains" (ILIKE '%…%')
is answered from an index instead of reading every group.

SQLite (one hub, a few thousand groups) reads them all, as before. Where
the pg_trgm extension is not available (PostgreSQL without its contrib
modules), the migration leaves the indexes out and says so: the search
still works, only slower.

Revision ID: 0013_group_name_search
Revises: 0012_transcripts
"""

import logging

from alembic import op
from sqlalchemy import text

revision = "0013_group_name_search"
down_revision = "0012_transcripts"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_groups_name_trgm": "name",
    "ix_groups_description_trgm": "description",
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
            "pg_trgm is not installed: the group search works without its indexes"
        )
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON groups USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
