"""A post written while the login ended is not lost: it is kept (encrypted,
for an hour), and back in the form after logging in."""

from __future__ import annotations

import datetime as dt
import re

from mediahub.core.extensions import db
from mediahub.drafts import services
from mediahub.drafts.models import KeptDraft
from mediahub.posts.models import Post
from tests.conftest import PASSWORD

#: Browsers send it with every form they post.
OURS = {"Origin": "http://hub.test"}
TEXT = "Heute war ein schwerer Tag, aber die Gruppe hat mir sehr geholfen."


def ticket(client, path: str) -> str:
    """The draft ticket of the form at ``path`` (the page must be open)."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="draft_ticket" value="([^"]+)"', html)
    assert match, "no draft ticket in the form"
    return match.group(1)


def _end_login(client) -> None:
    """What an expired session looks like: no session and no CSRF token left."""
    client.delete_cookie("mediahub_session")


def test_a_new_post_survives_an_expired_login(make_user, make_group, browser):
    # (The posted form carries the Origin header, as browsers send it.)
    anna = make_user("Anna")
    make_group("trauer", members={anna: "member"})
    me = browser(anna)
    mark = ticket(me, "/groups/trauer/posts/new")
    _end_login(me)
    # The stale CSRF token of the page she had opened long ago.
    resp = me.post(
        "/groups/trauer/posts/new",
        data={"csrf_token": "stale", "draft_ticket": mark, "title": "Mein Tag", "body": TEXT},
        headers=OURS,
    )
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login?next=/groups/trauer/posts/new")
    row = db.session.scalar(db.select(KeptDraft))
    assert TEXT.encode() not in row.ciphertext  # encrypted at rest
    assert db.session.scalar(db.select(Post)) is None  # nothing saved unseen

    login = me.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Ihre Anmeldung war abgelaufen" in login
    back = me.post_form(resp.headers["Location"], {"email": anna.email, "password": PASSWORD})
    assert back.headers["Location"] == "/groups/trauer/posts/new"
    form = me.get("/groups/trauer/posts/new").get_data(as_text=True)
    assert TEXT in form and 'value="Mein Tag"' in form
    assert "Hier ist der Text, den Sie geschrieben hatten" in form
    # Restored once, then gone from the server.
    assert db.session.scalar(db.select(KeptDraft)) is None
    assert TEXT not in me.get("/groups/trauer/posts/new").get_data(as_text=True)


def test_an_edit_with_a_stale_csrf_token_is_kept_for_a_logged_in_person(
    make_user, make_group, make_post, browser
):
    anna = make_user("Anna")
    group = make_group("trauer", members={anna: "member"})
    post = make_post(group, anna, title="Alt", body="Alter Text")
    me = browser(anna)
    mark = ticket(me, f"/posts/{post.id}/edit")
    resp = me.post(
        f"/posts/{post.id}/edit",
        data={
            "csrf_token": "stale",
            "draft_ticket": mark,
            "title": "Neu",
            "body": TEXT,
            "version": "1",
        },
        headers=OURS,
    )
    assert resp.status_code == 302 and resp.headers["Location"] == f"/posts/{post.id}/edit"
    form = me.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    assert TEXT in form
    db.session.refresh(post)
    assert post.body == "Alter Text"


def test_another_browser_or_page_gets_nothing(make_user, make_group, browser):
    anna = make_user("Anna")
    make_group("trauer", members={anna: "member"})
    me = browser(anna)
    mark = ticket(me, "/groups/trauer/posts/new")
    _end_login(me)
    data = {"draft_ticket": mark, "title": "X", "body": TEXT}
    assert me.post("/groups/trauer/posts/new", data=data, headers=OURS).status_code == 302
    other = browser(anna)  # no draft cookie in this browser
    assert TEXT not in other.get("/groups/trauer/posts/new").get_data(as_text=True)
    assert db.session.scalar(db.select(KeptDraft)) is not None


def test_kept_drafts_expire_after_an_hour(app):
    now = dt.datetime.now(dt.UTC)
    secret = services.keep("/groups/x/posts/new", 7, _form(body=TEXT), now=now)
    db.session.commit()
    assert services.take(secret, "/other/path", 7) is None  # only for its page
    assert services.purge_expired(now + dt.timedelta(minutes=59)) == 0
    assert services.purge_expired(now + dt.timedelta(minutes=61)) == 1
    assert services.take(secret, "/groups/x/posts/new", 7) is None


def test_empty_forms_are_not_kept(app, anonymous, make_user, make_group):
    make_group("trauer")
    resp = anonymous.post("/groups/trauer/posts/new", data={"csrf_token": "x"})
    assert resp.status_code == 400  # the usual CSRF refusal: nothing to keep
    assert db.session.scalar(db.select(KeptDraft)) is None


def test_forms_posted_from_other_sites_are_not_kept(make_user, make_group, browser):
    anna = make_user("Anna")
    make_group("trauer", members={anna: "member"})
    me = browser(anna)
    resp = me.post(
        "/groups/trauer/posts/new",
        data={
            "draft_ticket": ticket(me, "/groups/trauer/posts/new"),
            "title": "Fremd",
            "body": "untergeschoben",
        },
        headers={"Origin": "https://evil.example"},
    )
    assert resp.status_code == 400
    assert db.session.scalar(db.select(KeptDraft)) is None


def _form(**fields):
    from werkzeug.datastructures import MultiDict

    return MultiDict(fields)
