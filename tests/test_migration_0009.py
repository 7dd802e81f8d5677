"""0009 (tag rewrites, review snapshots) goes down and up without losing a row."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from mediahub.core.extensions import db


def _columns(table: str) -> set[str]:
    with db.engine.connect() as conn:
        return {c["name"] for c in inspect(conn).get_columns(table)}


def test_tag_rewrites_and_snapshots_down_and_up(
    app, make_user, make_group, make_episode, make_post
):
    anna = make_user("Anna")
    group = make_group("gx", members={anna: "member"})
    episode = make_episode(group, anna)
    make_post(group, anna)
    episode.review_snapshot = {"at": "2025-01-01T00:00:00+00:00", "fields": {"title": "A"}}
    episode.audio.tags_version = 3
    db.session.commit()
    db.session.remove()
    downgrade(revision="0008_email_changes")
    try:
        assert not {"tags_version", "tags_written", "tags_heartbeat_at", "tags_attempts"} & (
            _columns("media_assets")
        )
        assert "review_snapshot" not in _columns("episodes") | _columns("posts")
        with db.engine.connect() as conn:
            counts = [
                conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608
                for t in ("media_assets", "episodes", "posts")
            ]
        assert counts == [1, 1, 1]
    finally:
        upgrade()
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT tags_version, tags_written FROM media_assets")).one()
        assert tuple(row) == (0, 0)  # an old rendition carries what it was encoded with
        assert conn.execute(text("SELECT review_snapshot FROM episodes")).scalar() is None


def test_every_revision_id_fits_alembic_version_on_postgresql():
    """alembic_version.version_num is VARCHAR(32): a longer id breaks the upgrade there."""
    import pathlib
    import re

    import mediahub

    versions = pathlib.Path(mediahub.__file__).parent / "migrations" / "versions"
    ids = [
        re.search(r"^revision = ['\"]([^'\"]+)", path.read_text(), re.M).group(1)
        for path in sorted(versions.glob("*.py"))
    ]
    assert len(ids) >= 9
    assert [i for i in ids if len(i) > 32] == []
