"""Episodes and posts through the JSON API: create, edit, stale edits, uploads."""

from __future__ import annotations

import io

import pytest

from mediahub.core.extensions import db
from mediahub.media.models import MediaAsset


@pytest.fixture
def setup(make_user, make_group, api_token):
    author, editor = make_user("Author"), make_user("Editor")
    make_group("sucht-hh", members={author: "member", editor: "editor"})
    return api_token(author), api_token(editor)


def test_post_full_review_cycle(client, setup):
    author, editor = setup
    resp = client.post(
        "/api/v1/groups/sucht-hh/posts",
        headers=author,
        json={"title": "Mein Weg", "body": "Ein **langer** Weg."},
    )
    assert resp.status_code == 201
    post = resp.get_json()
    assert post["status"] == "draft"
    assert post["actions"] == ["edit", "submit", "delete"]
    page = post["page_url"].removeprefix("http://hub.test")
    assert client.get(page).status_code == 404  # nothing is public before review

    assert client.post(f"/api/v1/posts/{post['id']}/submit", headers=author).status_code == 200
    resp = client.post(
        f"/api/v1/posts/{post['id']}/review",
        headers=editor,
        json={"decision": "request_changes", "comment": "Bitte ohne Nachnamen."},
    )
    assert resp.get_json()["status"] == "changes_requested"
    mine = client.get(f"/api/v1/posts/{post['id']}", headers=author).get_json()
    assert mine["review_comment"] == "Bitte ohne Nachnamen."
    resp = client.patch(
        f"/api/v1/posts/{post['id']}",
        headers=author,
        json={"body": "Ein langer Weg.", "version": mine["version"]},
    )
    assert resp.status_code == 200
    client.post(f"/api/v1/posts/{post['id']}/submit", headers=author)
    resp = client.post(
        f"/api/v1/posts/{post['id']}/review", headers=editor, json={"decision": "approve"}
    )
    assert resp.get_json()["status"] == "published"
    html = client.get(page).get_data(as_text=True)
    assert "Ein langer Weg." in html
    history = client.get(f"/api/v1/posts/{post['id']}/history", headers=author).get_json()
    assert [h["action"] for h in history] == ["submit", "request_changes", "submit", "approve"]


def test_stale_edit_is_refused_and_loses_nothing(client, setup):
    author, _editor = setup
    post = client.post(
        "/api/v1/groups/sucht-hh/posts", headers=author, json={"title": "Titel", "body": "Alt"}
    ).get_json()
    first = client.patch(
        f"/api/v1/posts/{post['id']}",
        headers=author,
        json={"body": "Neu von Tab 1", "version": post["version"]},
    )
    assert first.status_code == 200
    second = client.patch(
        f"/api/v1/posts/{post['id']}",
        headers=author,
        json={"body": "Neu von Tab 2", "version": post["version"]},
    )
    assert second.status_code == 409
    assert second.get_json()["error"]["code"] == "stale"
    now = client.get(f"/api/v1/posts/{post['id']}", headers=author).get_json()
    assert now["body"] == "Neu von Tab 1"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "body": "x" * 100_001}, "body"),
        ({"title": "ok", "published": True}, "published"),
        ({"title": 5}, "title"),
    ],
)
def test_bad_post_input(client, setup, body, field):
    author, _ = setup
    resp = client.post("/api/v1/groups/sucht-hh/posts", headers=author, json=body)
    assert resp.status_code == 422
    assert field in resp.get_json()["error"]["fields"]


def test_unknown_group_and_outsider(client, setup, make_user, api_token):
    author, _ = setup
    assert (
        client.post("/api/v1/groups/nope/posts", headers=author, json={"title": "x"}).status_code
        == 404
    )
    outsider = api_token(make_user())
    assert (
        client.post(
            "/api/v1/groups/sucht-hh/posts", headers=outsider, json={"title": "x"}
        ).status_code
        == 403
    )


def test_episode_with_audio_upload_keeps_original(client, setup, app, speech_wav):
    author, _ = setup
    payload = speech_wav.read_bytes()
    resp = client.post(
        "/api/v1/groups/sucht-hh/episodes",
        headers=author,
        data={
            "title": "Folge 1",
            "episode_type": "full",
            "season": "1",
            "number": "2",
            "explicit": "false",
            "audio": (io.BytesIO(payload), "Mein Handy Aufnahme.wav"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_json()
    episode = resp.get_json()
    assert episode["status"] == "draft"
    assert (episode["season"], episode["number"], episode["explicit"]) == (1, 2, False)
    assert episode["media"]["original_size_bytes"] == len(payload)
    asset = db.session.scalar(db.select(MediaAsset))
    # Stored under a generated key, never the person's file name.
    assert "Handy" not in asset.original_key
    from hashlib import sha256

    from mediahub.storage import current_storage as storage

    with storage().open(asset.original_key) as fh:
        assert fh.read() == payload
    assert asset.original_sha256 == sha256(payload).hexdigest()


def test_episode_bad_fields_and_empty_audio(client, setup):
    author, _ = setup
    resp = client.post(
        "/api/v1/groups/sucht-hh/episodes",
        headers=author,
        data={"title": "x", "season": "0"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert "season" in resp.get_json()["error"]["fields"]
    resp = client.post(
        "/api/v1/groups/sucht-hh/episodes",
        headers=author,
        data={"title": "x", "episode_type": "movie"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    resp = client.post(
        "/api/v1/groups/sucht-hh/episodes",
        headers=author,
        data={"title": "x", "audio": (io.BytesIO(b""), "a.mp3")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "empty"
    assert client.get("/api/v1/groups/sucht-hh/episodes", headers=author).get_json() == []


def test_upload_over_the_limit_is_refused_and_leaves_nothing(client, setup, app, tmp_path):
    app.config["MAX_AUDIO_BYTES"] = 1000
    author, _ = setup
    resp = client.post(
        "/api/v1/groups/sucht-hh/episodes",
        headers=author,
        data={"title": "x", "audio": (io.BytesIO(b"x" * 5000), "a.mp3")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "too_large"
    media = tmp_path / "media"
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_episode_cannot_be_submitted_without_audio_or_approved_before_ready(
    client, setup, make_user
):
    author, _editor = setup
    ep = client.post(
        "/api/v1/groups/sucht-hh/episodes",
        headers=author,
        data={"title": "Ohne Ton"},
        content_type="multipart/form-data",
    ).get_json()
    resp = client.post(f"/api/v1/episodes/{ep['id']}/submit", headers=author)
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "audio_missing"
