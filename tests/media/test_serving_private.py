"""Episode files of private groups, transcripts and chapters, as listeners get them."""

from __future__ import annotations

import pytest

from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.groups import feed_tokens as tokens
from mediahub.review.workflow import ItemState
from tests.conftest import close_every_answer

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nWillkommen im Zwischenraum.\n"


@pytest.fixture
def client(client):
    return close_every_answer(client)


@pytest.fixture
def people(make_user):
    return {"manager": make_user("Mira"), "member": make_user("Malte"), "outsider": make_user()}


def _published(episode):
    episode.status = ItemState.PUBLISHED
    episode.published_at = utcnow()
    db.session.commit()
    return episode


@pytest.fixture
def private_episode(make_group, make_episode, people):
    group = make_group(
        "kreis",
        visibility="private",
        members={people["manager"]: "manager", people["member"]: "member"},
    )
    episode = make_episode(group, people["member"])
    episode.transcript_vtt = VTT
    episode.chapters = [{"start_s": 0.0, "title": "Ankommen"}, {"start_s": 4.5, "title": "Runde"}]
    return _published(episode)


@pytest.fixture
def secret(private_episode, people):
    _row, url = tokens.create_token(private_episode.group, people["manager"], label="Anna")
    db.session.commit()
    return url.split("/private/")[1].split("/")[0]


def test_private_audio_is_hidden_from_anonymous_and_outsiders(
    client, private_episode, people, api_token
):
    url = f"/media/episodes/{private_episode.guid}.mp3"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=api_token(people["outsider"])).status_code == 404
    member = client.get(url, headers=api_token(people["member"]))
    assert member.status_code == 200
    # A shared cache must never hand a member's copy to somebody else.
    assert "private" in member.headers["Cache-Control"]
    assert "public" not in member.headers["Cache-Control"]


def test_private_audio_through_the_listeners_token(client, private_episode, secret):
    url = f"/media/private/{secret}/episodes/{private_episode.guid}.mp3"
    full = client.get(url)
    assert full.status_code == 200
    assert full.headers["Content-Type"] == "audio/mpeg"
    assert full.data.startswith(b"ID3")
    assert full.headers["Referrer-Policy"] == "no-referrer"
    assert full.headers["X-Robots-Tag"].startswith("noindex")
    part = client.get(url, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 0-99/{len(full.data)}"
    assert part.data == full.data[:100]
    head = client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Accept-Ranges"] == "bytes"


def test_token_of_another_group_or_revoked_gets_404(
    client, private_episode, secret, make_group, people
):
    other = make_group("andere", visibility="private", members={people["manager"]: "manager"})
    _row, url = tokens.create_token(other, people["manager"], label="Ben")
    db.session.commit()
    foreign = url.split("/private/")[1].split("/")[0]
    guid = private_episode.guid
    assert client.get(f"/media/private/{foreign}/episodes/{guid}.mp3").status_code == 404
    assert client.get(f"/media/private/nonsense/episodes/{guid}.mp3").status_code == 404
    for row in tokens.list_tokens(private_episode.group, people["manager"]):
        tokens.revoke_token(row)
    db.session.commit()
    assert client.get(f"/media/private/{secret}/episodes/{guid}.mp3").status_code == 404


def test_token_opens_only_published_episodes(client, private_episode, secret):
    private_episode.status = ItemState.ARCHIVED
    db.session.commit()
    guid = private_episode.guid
    assert client.get(f"/media/private/{secret}/episodes/{guid}.mp3").status_code == 404
    assert client.get(f"/media/private/{secret}/episodes/{guid}.vtt").status_code == 404


def test_transcript_is_webvtt_with_cors_and_etag(client, make_group, make_episode, make_user):
    group = make_group("offen")
    episode = make_episode(group, make_user())
    episode.transcript_vtt = VTT
    _published(episode)
    url = f"/media/episodes/{episode.guid}.vtt"
    resp = client.get(url)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/vtt; charset=utf-8"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.get_data(as_text=True) == VTT
    assert "public" in resp.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304
    assert client.head(url).data == b""


def test_chapters_in_the_podcast_namespace_format(client, private_episode, secret):
    resp = client.get(f"/media/private/{secret}/episodes/{private_episode.guid}.chapters.json")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json+chapters"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.get_json(force=True) == {
        "version": "1.2.0",
        "chapters": [{"startTime": 0, "title": "Ankommen"}, {"startTime": 4.5, "title": "Runde"}],
    }
    again = client.get(
        f"/media/private/{secret}/episodes/{private_episode.guid}.chapters.json",
        headers={"If-None-Match": resp.headers["ETag"]},
    )
    assert again.status_code == 304


def test_private_transcript_by_token_or_membership_only(
    client, private_episode, secret, people, api_token
):
    guid = private_episode.guid
    assert client.get(f"/media/episodes/{guid}.vtt").status_code == 404
    assert client.get(f"/media/episodes/{guid}.chapters.json").status_code == 404
    by_token = client.get(f"/media/private/{secret}/episodes/{guid}.vtt")
    assert by_token.status_code == 200
    assert by_token.headers["Cache-Control"].startswith("private")
    member = client.get(f"/media/episodes/{guid}.vtt", headers=api_token(people["member"]))
    assert member.status_code == 200


def test_drafts_only_for_author_and_editors(client, make_group, make_episode, people, api_token):
    group = make_group("offen", members={people["member"]: "member"})
    draft = make_episode(group, people["member"])
    draft.transcript_vtt = VTT
    db.session.commit()
    url = f"/media/episodes/{draft.guid}.vtt"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=api_token(people["outsider"])).status_code == 404
    assert client.get(url, headers=api_token(people["member"])).status_code == 200


def test_episode_without_transcript_or_chapters_is_404(client, make_group, make_episode, make_user):
    episode = _published(make_episode(make_group("offen"), make_user()))
    assert client.get(f"/media/episodes/{episode.guid}.vtt").status_code == 404
    assert client.get(f"/media/episodes/{episode.guid}.chapters.json").status_code == 404
    assert client.get(f"/media/episodes/{episode.guid}.mp3").status_code == 200


def test_accel_redirect_leaves_the_bytes_to_nginx(app, client, make_group, make_episode, make_user):
    app.config["FEEDS_ACCEL_REDIRECT_PREFIX"] = "/_internal/"
    episode = _published(make_episode(make_group("offen"), make_user()))
    resp = client.get(f"/media/episodes/{episode.guid}.mp3")
    assert resp.status_code == 200
    assert resp.data == b""
    assert resp.headers["X-Accel-Redirect"] == f"/_internal/media/{episode.audio.rendition_key}"
    assert resp.headers["Content-Type"] == "audio/mpeg"
