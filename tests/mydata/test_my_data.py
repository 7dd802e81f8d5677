"""Export and deletion of one's own account, and the language choice."""

from __future__ import annotations

import io
import json
import zipfile

from mediahub.accounts.models import ApiToken, LoginSession, User
from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.media.models import MediaAsset
from mediahub.posts.models import Post
from mediahub.review import services as review
from mediahub.storage import current_storage as storage
from tests.conftest import PASSWORD


def _setup(make_user, make_group, make_episode, make_post):
    anna, eva, other = make_user("Anna"), make_user("Eva"), make_user("Otto")
    group = make_group("trauer", members={anna: "member", eva: "editor", other: "member"})
    published = make_post(group, anna, title="Online", body="Veröffentlicht")
    review.submit(published, anna)
    review.approve(published, eva, comment="Schön")
    draft = make_post(group, anna, title="Entwurf", body="Nur für mich")
    episode = make_episode(group, anna, title="Meine Folge")
    make_post(group, other, title="Ottos Text", body="Ottos Geheimnis")
    db.session.commit()
    return anna, published, draft, episode


def test_export_has_my_data_and_files_and_nobody_elses(
    make_user, make_group, make_episode, make_post, browser, api_token, client
):
    anna, _published, _draft, episode = _setup(make_user, make_group, make_episode, make_post)
    resp = browser(anna).get("/account/export")
    assert resp.status_code == 200
    assert resp.mimetype == "application/zip"
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="mediahub-anna-')
    archive = zipfile.ZipFile(io.BytesIO(resp.get_data()))
    names = set(archive.namelist())
    data = json.loads(archive.read("account.json"))
    assert data["account"]["email"] == anna.email
    assert data["account"]["email_notifications"] is True
    assert [m["group"] for m in data["memberships"]] == ["trauer"]
    assert {p["title"] for p in data["posts"]} == {"Online", "Entwurf"}
    online = next(p for p in data["posts"] if p["title"] == "Online")
    assert [e["action"] for e in online["review_history"]] == ["submit", "approve"]
    assert online["review_history"][1]["comment"] == "Schön"
    (ep,) = data["episodes"]
    assert ep["title"] == "Meine Folge"
    assert set(ep["files"]) <= names and len(ep["files"]) == 2
    with storage().open(episode.audio.rendition_key) as fh:
        assert archive.read(f"episodes/{episode.id}/episode.mp3") == fh.read()
    whole = json.dumps(data)
    assert "Otto" not in whole and "Eva" not in whole  # nobody else's data

    api = client.get("/api/v1/me/export", headers=api_token(anna))
    assert api.status_code == 200 and api.mimetype == "application/zip"
    assert "account.json" in zipfile.ZipFile(io.BytesIO(api.get_data())).namelist()


def test_deleting_my_account(make_user, make_group, make_episode, make_post, browser, anonymous):
    anna, published, draft, episode = _setup(make_user, make_group, make_episode, make_post)
    keys = [episode.audio.original_key, episode.audio.rendition_key]
    ids = (anna.id, published.id, draft.id, episode.id, episode.audio.id)
    email = anna.email
    me = browser(anna)
    assert me.get("/account/delete").status_code == 200
    wrong = me.post_form("/account/delete", {"password": "falsch", "confirm": "y"})
    assert wrong.status_code == 422
    unticked = me.post_form("/account/delete", {"password": PASSWORD})
    assert unticked.status_code == 422
    assert (
        me.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"}).status_code == 302
    )

    db.session.expire_all()
    assert db.session.get(User, ids[0]) is None
    kept = db.session.get(Post, ids[1])
    assert kept is not None and kept.author_id is None
    assert db.session.get(Post, ids[2]) is None
    assert db.session.get(Episode, ids[3]) is None
    assert db.session.get(MediaAsset, ids[4]) is None
    assert not any(storage().exists(k) for k in keys)
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginSession)) == 0
    # Logged out here, and the old password opens nothing.
    assert me.get("/my").status_code == 302
    resp = anonymous.post_form("/login", {"email": email, "password": PASSWORD})
    assert resp.status_code == 422


def test_delete_me_api(make_user, api_token, client):
    anna = make_user("Anna")
    headers = api_token(anna)
    assert client.delete("/api/v1/me", json={"password": "x"}, headers=headers).status_code == 422
    assert client.delete("/api/v1/me", json={}, headers=headers).status_code == 422
    assert (
        client.delete("/api/v1/me", json={"password": PASSWORD}, headers=headers).status_code == 204
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == 0
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_the_last_admin_cannot_leave(make_user, browser):
    admin = make_user("Admin", hub_role="admin")
    resp = browser(admin).post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert resp.status_code == 409
    assert "einzige Administration" in resp.get_data(as_text=True)


def test_language_link_for_visitors_and_choice_for_accounts(anonymous, make_user, browser):
    assert '<html lang="de">' in anonymous.get("/").get_data(as_text=True)
    resp = anonymous.get("/language/en?next=/login")
    assert resp.status_code == 302 and resp.headers["Location"] == "/login"
    assert "mediahub_lang=en" in resp.headers["Set-Cookie"]
    assert '<html lang="en">' in anonymous.get("/").get_data(as_text=True)
    # An open redirect is refused.
    assert anonymous.get("/language/de?next=//evil.example").headers["Location"] == "/my"
    assert anonymous.get("/language/fr").status_code == 404

    english = make_user("Ed")
    me = browser(english)
    assert me.post_form("/language", {"locale": "en", "next": "/account"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, english.id).locale == "en"
    # The account's choice wins over the Accept-Language of another browser.
    other = browser(english)
    html = other.get("/account", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "<h1>My account</h1>" in html


def test_accept_language_is_the_default_for_visitors(anonymous):
    html = anonymous.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html
