"""One text-cleaning step for every text input.

NUL (which PostgreSQL refuses), lone surrogates (which no database can
encode), control characters XML 1.0 cannot carry: whatever comes in a JSON
body, a form, a multipart field, a query string, a file or on the command
line is stored without them, in NFC, and never answers 500.
"""

from __future__ import annotations

import base64
import io
import unicodedata

import pytest

from mediahub.accounts.models import User
from mediahub.core.errors import InvalidInput
from mediahub.core.extensions import db
from mediahub.core.text import FORBIDDEN, clean_text
from mediahub.episodes.models import Episode
from mediahub.groups.models import Group
from mediahub.posts.models import Post

from .input_setup import SLUG, feed_xml, make_team

#: (what is sent, what is kept)
HOSTILE = [
    ("Mut\x00macher", "Mutmacher"),
    ("Mut\ud800macher", "Mutmacher"),
    ("Mut\udfffmacher", "Mutmacher"),
    ("Mut\x1b[31mmacher", "Mut[31mmacher"),
    ("Mut\ufffemacher\uffff", "Mutmacher"),
    ("Mut\x08\x0bmacher", "Mutmacher"),
    ("Mu\u0308t", "Müt"),  # decomposed ü becomes one character (NFC)
    ("Zeile 1\r\nZeile\t2", "Zeile 1\r\nZeile\t2"),  # kept: tab and line breaks
]
IDS = ["nul", "surrogate", "low-surrogate", "escape", "non-characters", "controls", "nfd", "kept"]


@pytest.fixture
def team(make_user, make_group, api_token):
    return make_team(make_user, make_group, api_token)


def _clean(value: str) -> bool:
    return not FORBIDDEN.search(value) and unicodedata.is_normalized("NFC", value)


def test_clean_text_removes_what_nothing_can_carry():
    for sent, kept in HOSTILE:
        assert clean_text(sent) == kept
    assert clean_text("ok") == "ok"


@pytest.mark.parametrize(("sent", "kept"), HOSTILE, ids=IDS)
def test_json_text_fields_are_cleaned(client, team, make_episode, sent, kept):
    resp = client.patch(f"/api/v1/groups/{SLUG}", json={"name": sent}, headers=team.as_manager)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["name"] == kept

    resp = client.post(
        f"/api/v1/groups/{SLUG}/posts",
        json={"title": sent, "body": f"**{sent}**", "content_note": sent},
        headers=team.as_manager,
    )
    assert resp.status_code == 201, resp.get_json()
    post = db.session.get(Post, resp.get_json()["id"])
    assert post.title == kept.strip()
    assert post.body == f"**{kept}**"

    resp = client.patch("/api/v1/users/me", json={"display_name": sent}, headers=team.as_manager)
    assert resp.status_code == 200, resp.get_json()
    assert db.session.get(User, team.manager.id).display_name == kept.strip()

    episode = make_episode(team.group, team.manager)
    resp = client.patch(
        f"/api/v1/episodes/{episode.id}",
        json={"title": sent, "description": sent},
        headers=team.as_manager,
    )
    assert resp.status_code == 200, resp.get_json()
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/chapters",
        json={"chapters": [{"start_s": 0, "title": sent}]},
        headers=team.as_manager,
    )
    assert resp.status_code == 200, resp.get_json()
    db.session.expire_all()
    episode = db.session.get(Episode, episode.id)
    assert all(_clean(t) for t in (episode.title, episode.description))
    assert _clean(episode.chapters[0]["title"])


@pytest.mark.parametrize("sent", ["\ud800", "\x00", "\udcff\x00"], ids=["surrogate", "nul", "both"])
def test_json_keys_and_nested_strings_are_cleaned(client, team, make_episode, sent):
    episode = make_episode(team.group, team.manager)
    doc = {"version": "1.2.0", "chapters": [{"startTime": 5, "title": f"Teil{sent}"}]}
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/chapters",
        json={f"chapters{sent}": doc},
        headers=team.as_manager,
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["chapters"] == [{"start_s": 5.0, "title": "Teil"}]


def test_multipart_fields_are_cleaned(client, team):
    resp = client.post(
        f"/api/v1/groups/{SLUG}/episodes",
        data={"title": "Folge\x00 eins", "description": "Mu\u0308t\x07"},
        content_type="multipart/form-data",
        headers=team.as_manager,
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["title"] == "Folge eins"
    assert resp.get_json()["description"] == "Müt"


def test_web_forms_are_cleaned(client, team, login):
    login(team.manager)
    resp = client.post_form(
        f"/groups/{SLUG}/manage",
        {
            "name": "Angst\x00 Hamburg\x1b",
            "description": "Wir\ufffe treffen uns.",
            "language": "de",
            "category": "anxiety",
            "visibility": "public",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    group = db.session.get(Group, team.group.id)
    db.session.refresh(group)
    assert (group.name, group.description) == ("Angst Hamburg", "Wir treffen uns.")
    resp = client.post_form(
        f"/groups/{SLUG}/episodes/new",
        {"title": "Ohne\x00 Ton", "description": "Mu\u0308t", "episode_type": "full"},
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    episode = db.session.scalar(db.select(Episode).order_by(Episode.id.desc()))
    assert (episode.title, episode.description) == ("Ohne Ton", "Müt")
    # The feed carries the cleaned name.
    assert feed_xml(client).findtext("channel/title") == "Angst Hamburg"


@pytest.mark.parametrize("query", ["%00", "a%00b", "%ED%A0%80", "%FF%FE", "%1B[2J"])
def test_query_strings_are_cleaned(client, make_group, query):
    make_group(name="Mutmacher")
    resp = client.get(f"/?q={query}")
    assert resp.status_code == 200


def test_uploaded_transcripts_are_cleaned(client, team, make_episode):
    episode = make_episode(team.group, team.manager)
    vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Anna>Hallo\x00 zusammen\x1b\n"
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/transcript",
        data={"file": (io.BytesIO(vtt.encode()), "t.vtt")},
        content_type="multipart/form-data",
        headers=team.as_manager,
    )
    assert resp.status_code == 200, resp.get_json()
    db.session.refresh(episode)
    assert "Hallo zusammen" in episode.transcript_vtt
    assert _clean(episode.transcript_vtt)


def test_the_command_line_is_cleaned(runner):
    # A name typed in a terminal that is not UTF-8 arrives as lone surrogates.
    result = runner.invoke(
        args=["users", "create", "ute@example.org", "--name", "Ute\udcfc\x00", "--password-stdin"],
        input="a long passphrase\x00\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "ute@example.org"))
    assert user.display_name == "Ute"


def test_the_database_never_gets_what_it_cannot_carry(app, team):
    """The last line: a path that forgot to clean still stores clean text."""
    group = db.session.get(Group, team.group.id)
    group.name = "Direkt\x00 gesetzt\ud800"
    group.description = "Mu\u0308t"
    db.session.commit()
    db.session.expire_all()
    group = db.session.get(Group, team.group.id)
    assert (group.name, group.description) == ("Direkt gesetzt", "Müt")


def test_the_database_never_gets_more_than_a_column_holds(app, team):
    group = db.session.get(Group, team.group.id)
    group.name = "x" * 121
    with pytest.raises(InvalidInput) as caught:
        db.session.flush()
    assert caught.value.field == "name"
    db.session.rollback()


@pytest.mark.parametrize(
    ("field", "length"),
    [("name", 121), ("slug", 61), ("language", 9), ("description", 4001)],
)
def test_overlong_group_texts_are_422(client, team, field, length):
    resp = client.patch(
        f"/api/v1/groups/{SLUG}", json={field: "a" * length}, headers=team.as_manager
    )
    assert resp.status_code == 422
    assert field in resp.get_json()["error"]["fields"]


@pytest.mark.parametrize("filetype", ["audio/\x00mpeg", "audio/mpeg\x1b", "a" * 300])
def test_text_from_headers_is_cleaned_too(client, team, make_episode, filetype):
    """The tus upload's Upload-Metadata is stored (the file type): the last
    line at the database cleans and bounds it, whatever the header said."""
    from mediahub.uploads.models import UploadSession

    episode = make_episode(team.group, team.manager)
    meta = base64.b64encode(filetype.encode()).decode()
    resp = client.post(
        f"/api/v1/episodes/{episode.id}/audio/uploads",
        headers={
            **team.as_manager,
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "1000",
            "Upload-Metadata": f"filetype {meta}",
        },
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    stored = db.session.scalar(db.select(UploadSession.content_type))
    assert _clean(stored) and len(stored) <= 100
