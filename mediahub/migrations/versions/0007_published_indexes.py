"""Indexes for "newest published first" lists of episodes and posts.

Revision ID: 0007_published_indexes
Revises: 0006_email_notifications
"""

from alembic import op

revision = "0007_published_indexes"
down_revision = "0006_email_notifications"
branch_labels = None
depends_on = None

TABLES = ("episodes", "posts")


def upgrade():
    for table in TABLES:
        op.create_index(
            f"ix_{table}_status_published", table, ["status", "published_at", "id"], unique=False
        )
        op.create_index(
            f"ix_{table}_group_status_published",
            table,
            ["group_id", "status", "published_at", "id"],
            unique=False,
        )


def downgrade():
    for table in TABLES:
        op.drop_index(f"ix_{table}_group_status_published", table_name=table)
        op.drop_index(f"ix_{table}_status_published", table_name=table)
