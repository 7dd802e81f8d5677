"""The migrations build exactly the schema the models describe, and the
newest one goes up and down without losing anybody's data."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from mediahub.extensions import db


def test_the_models_match_the_migrations(app):
    # What `flask db check` does: autogenerate against the migrated database.
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def _columns(table: str) -> set[str]:
    with db.engine.connect() as conn:
        return {c["name"] for c in inspect(conn).get_columns(table)}


def test_email_notifications_up_and_down_keeps_people_and_their_logins(app):
    db.session.remove()
    downgrade(revision="0005_upload_sessions")
    try:
        assert "email_notifications" not in _columns("users")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, display_name, hub_role, is_active,"
                    " created_at, is_credited) VALUES (1, 'anna@example.org', 'Anna', 'none',"
                    " :yes, '2024-01-01 00:00:00', :no)"
                ),
                {"yes": True, "no": False},
            )
            conn.execute(
                text(
                    "INSERT INTO login_sessions (user_id, token_hash, created_at, last_seen_at,"
                    " expires_at) VALUES (1, 'h', '2024-01-01 00:00:00', '2024-01-01 00:00:00',"
                    " '2099-01-01 00:00:00')"
                )
            )
        upgrade(revision="0006_email_notifications")
        with db.engine.connect() as conn:
            # People who were there keep getting their mails.
            assert conn.execute(text("SELECT email_notifications FROM users")).scalar() in (
                True,
                1,
            )
            assert conn.execute(text("SELECT count(*) FROM login_sessions")).scalar() == 1
        downgrade(revision="0005_upload_sessions")
        assert "email_notifications" not in _columns("users")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM login_sessions")).scalar() == 1
    finally:
        upgrade()
    assert "email_notifications" in _columns("users")
