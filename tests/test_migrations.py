"""The migrations build exactly the schema the models describe, and the
newest one goes up and down without losing anybody's data."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from mediahub.core.db import include_object
from mediahub.core.extensions import db


def test_the_models_match_the_migrations(app):
    # What `flask db check` does: autogenerate against the migrated database.
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
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


# Tables that exist since the first migration, and hold what people made.
_KEPT = (
    "users",
    "groups",
    "memberships",
    "login_sessions",
    "api_tokens",
    "media_assets",
    "episodes",
    "posts",
    "review_events",
)


def _counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in _KEPT}  # noqa: S608


def test_every_migration_down_and_up_keeps_every_row(
    app, make_user, make_group, make_episode, make_post, api_token
):
    """SQLite rebuilds a table to change it; the rows that point at it (on
    delete cascade) must survive that, all the way down and up again."""
    from mediahub.accounts import services
    from mediahub.review import services as review

    anna = make_user("Anna")
    editor = make_user("Eda", hub_role="editor")
    group = make_group("trauer", members={anna: "member"})
    episode = make_episode(group, anna)
    review.submit(episode, anna)
    make_post(group, anna)
    api_token(anna)
    services.start_login_session(anna, remember=False)
    db.session.commit()
    before = _counts()
    assert all(before.values()), before
    assert editor.id

    db.session.remove()
    downgrade(revision="fabeb049e4f9")  # the first migration
    try:
        assert _counts() == before
    finally:
        upgrade()
    assert _counts() == before
