"""The request is the one commit point: a view that returns normally keeps
its changes, one that fails keeps none, and a conflict found at the commit
is a 409 — without a single commit written in a view."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from mediahub.accounts.models import User
from mediahub.core.errors import Conflict
from mediahub.core.extensions import db
from mediahub.web.transaction import checkpoint


def _people_named(name: str) -> int:
    db.session.rollback()  # look at what is stored, not at this session's state
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.display_name == name)
    )


def _person(name: str, email: str) -> User:
    user = User(email=email, display_name=name)
    db.session.add(user)
    return user


@pytest.fixture
def routes(app: Flask) -> Flask:
    """Views that change data and then return, refuse or break."""

    def kept() -> Any:
        _person("Kept", "kept@example.org")
        return "ok"

    def refused() -> Any:
        _person("Refused", "refused@example.org")
        db.session.flush()
        raise Conflict("no")

    def broken() -> Any:
        _person("Broken", "broken@example.org")
        db.session.flush()
        raise RuntimeError("a bug after the change")

    def duplicate() -> Any:
        # Two people with one address: the database says no when the request commits.
        _person("First", "same@example.org")
        _person("Second", "same@example.org")
        return "looked fine"

    def half_kept() -> Any:
        with checkpoint():
            _person("Checkpoint", "checkpoint@example.org")
        _person("After", "after@example.org")
        raise Conflict("the rest failed")

    for view in (kept, refused, broken, duplicate, half_kept):
        app.add_url_rule(f"/_test/{view.__name__}", view_func=view, methods=["GET"])
    return app


def test_a_view_that_returns_keeps_its_changes(routes, client):
    assert client.get("/_test/kept").status_code == 200
    assert _people_named("Kept") == 1


def test_a_refusal_keeps_nothing(routes, client):
    assert client.get("/_test/refused").status_code == 409
    assert _people_named("Refused") == 0


def test_a_crash_keeps_nothing(routes, client, caplog):
    assert client.get("/_test/broken").status_code == 500
    assert _people_named("Broken") == 0
    assert "a bug after the change" in caplog.text


def test_a_conflict_found_at_the_commit_is_a_409(routes, client):
    resp = client.get("/_test/duplicate")
    assert resp.status_code == 409
    assert _people_named("First") == 0 and _people_named("Second") == 0


def test_an_edit_someone_else_overtook_is_a_409_at_the_commit(
    app, client, make_user, make_group, make_post
):
    """Optimistic locking bites when the request commits: the other edit stays."""
    author = make_user()
    post = make_post(make_group(members={author: "member"}), author, title="Mine")
    post_id = post.id

    def overtaken() -> Any:
        mine = db.session.get(type(post), post_id)
        with db.engine.begin() as other:  # someone else saves first
            other.execute(
                update(type(post))
                .where(type(post).id == post_id)
                .values(title="Theirs", version=type(post).version + 1)
            )
        mine.title = "Changed meanwhile"
        return "looked fine"

    app.add_url_rule("/_test/overtaken", view_func=overtaken)
    resp = client.get("/_test/overtaken")
    assert resp.status_code == 409
    db.session.rollback()
    assert db.session.get(type(post), post_id).title == "Theirs"


def test_a_checkpoint_keeps_its_block_whatever_follows(routes, client):
    assert client.get("/_test/half_kept").status_code == 409
    assert _people_named("Checkpoint") == 1
    assert _people_named("After") == 0


def test_an_api_answer_shows_what_was_stored(client, make_user, api_token):
    """The API commits before it dumps its answer: a new group's id and its
    stored fields come back (the same as reading it again)."""
    admin = make_user(hub_role="admin")
    resp = client.post(
        "/api/v1/groups", json={"slug": "neu", "name": "Neu"}, headers=api_token(admin)
    )
    assert resp.status_code == 201, resp.get_json()
    again = client.get("/api/v1/groups/neu", headers=api_token(admin)).get_json()
    assert resp.get_json() == again


def test_no_view_or_api_module_commits(app):
    """The mechanism replaces every hand-written commit of the handlers."""
    import pathlib

    import mediahub

    root = pathlib.Path(mediahub.__file__).parent
    handlers = [
        p
        for p in root.rglob("*.py")
        if p.name in {"views.py", "api.py", "blueprint.py"} or p.name.endswith("_views.py")
    ]
    assert handlers
    committing = [str(p) for p in handlers if "session.commit(" in p.read_text()]
    assert committing == []
