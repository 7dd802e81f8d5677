"""Content notes through the forms and the API; opt-in crediting; and the
Markdown sanitiser's own-origin rule for images."""

from __future__ import annotations

import pytest

from mediahub.core.extensions import db
from mediahub.core.markdown import is_own_origin, render_markdown
from mediahub.episodes.models import Episode
from mediahub.posts.models import Post

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


def test_post_form_sets_the_content_note(browser, make_user, make_group):
    author = make_user()
    group = make_group(members={author: "member"})
    b = browser(author)
    page = b.get(f"/groups/{group.slug}/posts/new", environ_base=GERMAN).get_data(as_text=True)
    assert "Inhaltshinweis" in page and "z. B. „Thema: Suizid, Sucht“" in page
    resp = b.post_form(
        f"/groups/{group.slug}/posts/new",
        {"title": "Titel", "body": "Text", "content_note": "  Thema:\n Sucht  "},
    )
    assert resp.status_code == 302
    assert db.session.scalar(db.select(Post.content_note)) == "Thema: Sucht"


def test_episode_form_refuses_a_too_long_content_note(browser, make_user, make_group):
    author = make_user()
    group = make_group(members={author: "member"})
    resp = browser(author).post_form(
        f"/groups/{group.slug}/episodes/new", {"title": "Titel", "content_note": "x" * 201}
    )
    assert resp.status_code == 422
    assert 'id="content_note-error"' in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Episode.id))) == 0


def test_api_reads_and_writes_content_notes(client, make_user, make_group, api_token):
    author = make_user()
    group = make_group(members={author: "member"})
    headers = api_token(author)
    resp = client.post(
        f"/api/v1/groups/{group.slug}/posts",
        headers=headers,
        json={"title": "T", "body": "B", "content_note": "Thema: Trauer"},
    )
    assert resp.status_code == 201, resp.json
    post = resp.json
    assert post["content_note"] == "Thema: Trauer"
    resp = client.patch(f"/api/v1/posts/{post['id']}", headers=headers, json={"content_note": ""})
    assert resp.json["content_note"] == ""
    resp = client.post(
        f"/api/v1/groups/{group.slug}/episodes",
        headers=headers,
        data={"title": "Folge", "content_note": "Thema: Suizid"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.json
    assert resp.json["content_note"] == "Thema: Suizid"
    resp = client.patch(
        f"/api/v1/episodes/{resp.json['id']}", headers=headers, json={"content_note": "x" * 201}
    )
    assert resp.status_code == 422
    assert "content_note" in resp.json["error"]["fields"]


def test_openapi_describes_content_notes(client):
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    for name in ("EpisodeUpload", "EpisodeUpdate", "PostCreate", "PostUpdate"):
        assert schemas[name]["properties"]["content_note"]["maxLength"] == 200, name


def test_people_opt_in_to_being_named(browser, make_user):
    person = make_user("Sonnenblume")
    b = browser(person)
    page = b.get("/account/password", environ_base=GERMAN).get_data(as_text=True)
    assert "Meinen Namen in Feeds und auf öffentlichen Seiten nennen" in page
    assert b.post_form("/account/credit", {"is_credited": "y"}).status_code == 302
    db.session.refresh(person)
    assert person.is_credited
    assert b.post_form("/account/credit", {}).status_code == 302
    db.session.refresh(person)
    assert not person.is_credited


@pytest.mark.parametrize(
    ("src", "own"),
    [
        ("/media/x.jpg", True),
        ("bild.png", True),
        ("http://hub.test/media/x.jpg", True),
        ("http://hub.test.evil.example/x.jpg", False),
        ("https://cdn.example/x.jpg", False),
        ("//cdn.example/x.jpg", False),
        ("/\\cdn.example/x.jpg", False),
        ("data:image/png;base64,AAAA", False),
        ("", False),
    ],
)
def test_images_only_from_our_own_origin(src, own):
    assert is_own_origin(src, "http://hub.test") is own


def test_foreign_images_become_their_description(app):
    html = str(render_markdown("![Ein Bild](https://tracker.example/p.gif) ![Hier](/x.png)"))
    assert "tracker.example" not in html
    assert "Ein Bild" in html
    assert '<img src="/x.png" alt="Hier">' in html
    html = str(render_markdown("![Absolut](http://hub.test/media/y.jpg)"))
    assert '<img src="http://hub.test/media/y.jpg" alt="Absolut">' in html
