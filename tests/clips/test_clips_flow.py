"""Clips end to end: marked on a published episode, reviewed, rendered by the
queue (inline in tests), downloaded with a clean name, in the feed as
``podcast:soundbite`` and on the episode page."""

from __future__ import annotations

import io
from pathlib import Path

import podcastparser
import pytest
from lxml import etree as ET

from mediahub.clips.inspect import inspect
from mediahub.clips.layout import ClipShape
from mediahub.clips.models import Clip, RenderState
from mediahub.core.extensions import db
from mediahub.storage import current_storage

PODCAST = "{https://podcastindex.org/namespace/1.0}"


def _fetch(client, url: str) -> bytes:
    with client.get(url) as resp:
        assert resp.status_code == 200
        return resp.get_data()


def _new_clip(client, episode, **data):
    form = {"title": "Der Kern", "start": "0:07.5", "length": "6", "content_note": ""}
    form.update(data)
    return client.post_form(f"/episodes/{episode.id}/clips/new", form)


def test_a_member_marks_a_passage_and_it_waits_as_a_draft(team, client, login):
    anna, _eda, _group, episode = team
    login(anna)
    resp = _new_clip(client, episode)
    assert resp.status_code == 302
    clip = db.session.scalars(db.select(Clip)).one()
    assert (clip.start_s, clip.duration_s, clip.status.value) == (7.5, 6.0, "draft")
    assert resp.headers["Location"].endswith(f"/clips/{clip.id}")
    page = client.get(f"/clips/{clip.id}").get_data(as_text=True)
    assert "Der Kern" in page and "0:07" in page, page[page.find("<main") :][:3000]


@pytest.mark.parametrize(
    ("start", "length", "message"),
    [
        ("0:00", "3", "zwischen 5 und 90"),
        ("0:00", "95", "zwischen 5 und 90"),
        ("0:18", "6", "innerhalb der Aufnahme"),
        ("abc", "6", "wie 1:23"),
        ("1e400", "6", "wie 1:23"),
        ("-5", "6", "wie 1:23"),
    ],
)
def test_passages_outside_the_rules_are_form_errors(team, client, login, start, length, message):
    anna, *_rest, episode = team
    login(anna)
    resp = _new_clip(client, episode, start=start, length=length)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert db.session.scalars(db.select(Clip)).first() is None


def test_clips_only_of_published_episodes(app, client, login, make_user, make_group, make_episode):
    anna = make_user()
    group = make_group(members={anna: "member"})
    draft = make_episode(group, anna)
    login(anna)
    resp = _new_clip(client, draft)
    assert resp.status_code in (403, 409, 422)
    assert db.session.scalars(db.select(Clip)).first() is None


def test_other_members_cannot_cut_up_someone_elses_episode(team, client, login, make_user):
    *_rest, group, episode = team
    from mediahub.groups.services import set_member

    bea = make_user("Bea")
    set_member(group, bea.email, "member")
    db.session.commit()
    login(bea)
    assert client.get(f"/episodes/{episode.id}/clips/new").status_code == 403


def test_approved_clip_is_rendered_downloaded_and_in_the_feed(team, client, login, api_token):
    anna, eda, _group, episode = team
    headers = api_token(anna)
    resp = client.post(
        f"/api/v1/episodes/{episode.id}/clips",
        json={"title": "Der Kern: Trauer & Mut", "start_s": 7.5, "duration_s": 6},
        headers=headers,
    )
    assert resp.status_code == 201, resp.get_json()
    clip_id = resp.get_json()["id"]
    assert client.post(f"/api/v1/clips/{clip_id}/submit", headers=headers).status_code == 200
    done = client.post(
        f"/api/v1/clips/{clip_id}/review", json={"decision": "approve"}, headers=api_token(eda)
    )
    assert done.status_code == 200, done.get_json()

    clip = db.session.get(Clip, clip_id)
    db.session.refresh(clip)
    assert clip.render_state == RenderState.READY, clip.render_error
    answer = client.get(f"/api/v1/clips/{clip_id}").get_json()
    assert [v["shape"] for v in answer["videos"]] == ["square", "vertical", "landscape"]
    assert all(v["url"] and v["progress"] == 1.0 for v in answer["videos"])

    with client.get(f"/clips/{clip_id}/vertical.mp4") as video:
        assert video.status_code == 200 and video.mimetype == "video/mp4"
        disposition = video.headers["Content-Disposition"]
    assert disposition == "attachment; filename=trauer-der-kern-trauer-mut-vertical.mp4"
    path = Path(current_storage().serve_path(clip.rendition(ClipShape.VERTICAL).storage_key))
    found = inspect(path)
    assert (found.width, found.height) == (1080, 1920) and found.personal_metadata == {}

    feed = _fetch(client, "/feeds/trauer/podcast.xml")
    parsed = podcastparser.parse("http://hub.test/feeds/trauer/podcast.xml", io.BytesIO(feed))
    assert [e["title"] for e in parsed["episodes"]] == ["Abschied nehmen"]
    bites = ET.fromstring(feed).findall(f".//item/{PODCAST}soundbite")
    assert [(b.get("startTime"), b.get("duration"), b.text) for b in bites] == [
        ("7.50", "6.00", "Der Kern: Trauer & Mut")
    ]

    page = client.get(f"/groups/trauer/episodes/{episode.id}").get_data(as_text=True)
    assert "#t=7.5,13.5" in page and "Der Kern: Trauer &amp; Mut" in page

    # Taken offline by an editor and deleted by its author: the files go with it.
    files = [Path(current_storage().serve_path(r.storage_key)) for r in clip.renditions]
    assert len(files) == 3 and all(f.exists() for f in files)
    editor = api_token(eda)
    assert (
        client.post(f"/api/v1/clips/{clip_id}/unpublish", json={}, headers=editor).status_code
        == 200
    )
    assert client.delete(f"/api/v1/clips/{clip_id}", headers=editor).status_code == 403
    assert client.delete(f"/api/v1/clips/{clip_id}", headers=headers).status_code == 204  # author
    assert not any(f.exists() for f in files)


def test_unapproved_clips_are_not_downloadable_nor_in_the_feed(team, client, login, anonymous):
    anna, _eda, _group, episode = team
    login(anna)
    _new_clip(client, episode)
    clip = db.session.scalars(db.select(Clip)).one()
    assert anonymous.get(f"/clips/{clip.id}/square.mp4").status_code == 404
    assert anonymous.get(f"/api/v1/clips/{clip.id}").status_code == 404
    assert anonymous.get(f"/clips/{clip.id}/rendering").status_code == 404
    assert b"soundbite" not in _fetch(anonymous, "/feeds/trauer/podcast.xml")


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x", "start_s": "NaN", "duration_s": 10},
        {"title": "x", "start_s": 1e30, "duration_s": 10},
        {"title": "x", "start_s": 1, "duration_s": True},
        {"title": "x", "start_s": 1, "duration_s": 4.99},
        {"title": "", "start_s": 1, "duration_s": 10},
        {"title": "x" * 500, "start_s": 1, "duration_s": 10},
    ],
)
def test_the_api_refuses_bad_passages_with_a_4xx(team, client, api_token, body):
    anna, *_rest, episode = team
    resp = client.post(f"/api/v1/episodes/{episode.id}/clips", json=body, headers=api_token(anna))
    assert 400 <= resp.status_code < 500
    assert "error" in resp.get_json()


def test_a_worker_killed_while_rendering_is_picked_up_again(team, app):
    from mediahub.clips import rendering

    anna, _eda, _group, episode = team
    from mediahub.clips.services import create_clip

    clip = create_clip(episode, anna, {"title": "T", "start_s": 1.0, "duration_s": 5.0})
    clip.render_state = RenderState.RENDERING  # claimed by a worker that died
    db.session.commit()
    import datetime as dt

    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    assert rendering.reconcile(now=later) == [clip.id]
    db.session.refresh(clip)
    assert clip.render_state == RenderState.READY
    assert not rendering.claim(clip.id)  # done: nobody claims it again
