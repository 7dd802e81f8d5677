"""Indexes for national scale (100,000 groups, 200,000 people; measured by
bench/bench_national.py), on PostgreSQL:

- trigram indexes on the groups' name and description (pg_trgm), so the
  search's "contains" (ILIKE '%…%') is answered from an index instead of
  reading every group; where pg_trgm is not available (PostgreSQL without
  its contrib modules) they are left out with a warning: the search still
  works, only slower;
- the orders of the lists: the directory's groups by name, the admin's
  groups and people by their lower-cased names, so a page is read in order
  instead of sorting every row.

SQLite (one hub, a few thousand groups) sorts and reads them all, as before.

Revision ID: 0013_national_scale_indexes
Revises: 0012_transcripts
"""

import logging

from alembic import op
from sqlalchemy import text

revision = "0013_national_scale_indexes"
down_revision = "0012_transcripts"
branch_labels = None
depends_on = None

TRIGRAM = {
    "ix_groups_name_trgm": "name",
    "ix_groups_description_trgm": "description",
}
ORDERS = {
    "ix_groups_name_order": "groups (name, id)",
    "ix_groups_lower_name_order": "groups (lower(name), id)",
    "ix_users_lower_display_name_order": "users (lower(display_name), id)",
}
#: Every index this migration may make (mediahub.groups.models lists them as hand-made).
INDEXES = (*TRIGRAM, *ORDERS)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for name, target in ORDERS.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
    available = bind.execute(
        text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).scalar()
    if not available:
        logging.getLogger("alembic").warning(
            "pg_trgm is not installed: the group search works without its indexes"
        )
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON groups USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
