"""People can turn off notification mails.

Revision ID: 0006_email_notifications
Revises: 0005_upload_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_email_notifications'
down_revision = '0005_upload_sessions'
branch_labels = None
depends_on = None


# No table copy on SQLite: adding a column with a constant default and
# dropping a plain column are native ALTER TABLEs in SQLite >= 3.35; Alembic
# would only copy because it cannot tell sa.true() is constant. (A copy is
# safe too since env.py turns foreign keys off while migrating; before that,
# dropping the old copy cascaded into login sessions, tokens, memberships.)


def upgrade():
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('email_notifications', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('email_notifications')
