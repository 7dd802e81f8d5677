"""The clips API: what it takes, what it refuses (always a 4xx with a message
a person can act on, never a 500), who sees what, and its OpenAPI description."""

from __future__ import annotations

import json

import pytest

from mediahub.clips.models import Clip
from mediahub.core.extensions import db


def _post(client, episode, headers, body):
    return client.post(
        f"/api/v1/episodes/{episode.id}/clips",
        data=body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        headers={"Accept-Language": "en", **headers},
    )


def _error(resp) -> dict:
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.get_data(as_text=True))
    error = resp.get_json()["error"]
    assert error["code"] and error["message"]
    return error


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ('{"title": "T", "start_s": NaN, "duration_s": 10}', "NaN"),
        ('{"title": "T", "start_s": Infinity, "duration_s": 10}', "Infinity"),
        ('{"title": "T", "start_s": 1, "duration_s": -Infinity}', "Infinity"),
        ('{"title": "T", "start_s": 1e400, "duration_s": 10}', "1e400"),
    ],
)
def test_not_a_number_is_refused(team, client, api_token, raw, named):
    anna, *_rest, episode = team
    resp = _post(client, episode, api_token(anna), raw)
    assert named in _error(resp)["message"]
    assert db.session.scalars(db.select(Clip)).first() is None


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"start_s": -1, "duration_s": 10}, "within the recording"),
        ({"start_s": 10**30, "duration_s": 10}, "within the recording"),
        ({"start_s": 1, "duration_s": 10**30}, "between 5 and 90"),
        ({"start_s": 18, "duration_s": 6}, "within the recording"),  # ends after 20 s
        ({"start_s": 25, "duration_s": 5}, "within the recording"),  # starts after the end
        ({"start_s": 1, "duration_s": 4.9}, "between 5 and 90"),
        ({"start_s": 1, "duration_s": 90.5}, "between 5 and 90"),
        ({"start_s": "1", "duration_s": 10}, "start_s"),
        ({"start_s": True, "duration_s": 10}, "start_s"),
        ({"start_s": None, "duration_s": 10}, "start_s"),
        ({"duration_s": 10}, "start_s"),
    ],
)
def test_passages_outside_the_recording_or_the_limits_are_refused(
    team, client, api_token, body, words
):
    anna, *_rest, episode = team
    resp = _post(client, episode, api_token(anna), {"title": "Der Kern", **body})
    assert words in json.dumps(_error(resp))
    assert db.session.scalars(db.select(Clip)).first() is None


@pytest.mark.parametrize(
    "title",
    ["", "   ", "x" * 5000, "\ud800 lone surrogate", "null\x00byte", ["a list"], {"a": 1}],
)
def test_hostile_titles_are_refused_or_cleaned(team, client, api_token, title):
    anna, *_rest, episode = team
    body = json.dumps({"title": title, "start_s": 1, "duration_s": 10})
    resp = _post(client, episode, api_token(anna), body)
    if resp.status_code == 201:
        stored = db.session.get(Clip, resp.get_json()["id"]).title
        assert "\x00" not in stored and "\ud800" not in stored and stored.strip()
    else:
        _error(resp)


def test_a_good_passage_is_a_draft_with_the_episodes_content_note(team, client, api_token):
    anna, _eda, _group, episode = team
    episode.content_note = "Tod und Trauer"
    db.session.commit()
    body = {"title": "Kern", "start_s": 14, "duration_s": 6}
    resp = _post(client, episode, api_token(anna), body)
    assert resp.status_code == 201
    body = resp.get_json()
    assert (body["start_s"], body["duration_s"], body["status"]) == (14.0, 6.0, "draft")
    assert body["content_note"] == "Tod und Trauer"
    assert body["render_state"] is None
    assert [v["url"] for v in body["videos"]] == [None, None, None]


def test_a_patch_is_checked_like_a_new_passage(team, client, api_token):
    anna, *_rest, episode = team
    headers = api_token(anna)
    made = _post(client, episode, headers, {"title": "Kern", "start_s": 1, "duration_s": 6})
    clip_id = made.get_json()["id"]
    for body in ({"duration_s": 200}, {"start_s": 19}, {"start_s": "NaN"}, {"title": ""}):
        resp = client.patch(f"/api/v1/clips/{clip_id}", json=body, headers=headers)
        assert _error(resp)["fields"]
    resp = client.patch(f"/api/v1/clips/{clip_id}", json={"start_s": 2.25}, headers=headers)
    assert resp.status_code == 200 and resp.get_json()["start_s"] == 2.25


def test_outsiders_never_see_a_clip_before_it_is_approved(
    team, client, api_token, anonymous, make_user
):
    anna, *_rest, episode = team
    made = _post(client, episode, api_token(anna), {"title": "Kern", "start_s": 1, "duration_s": 6})
    clip_id = made.get_json()["id"]
    outsider = api_token(make_user("Olaf"))
    for headers in ({}, outsider):
        assert anonymous.get(f"/api/v1/clips/{clip_id}", headers=headers).status_code == 404
        listed = anonymous.get(f"/api/v1/episodes/{episode.id}/clips", headers=headers)
        assert listed.status_code == 200 and listed.get_json() == []
        video = anonymous.get(f"/api/v1/clips/{clip_id}/videos/square", headers=headers)
        assert video.status_code == 404
        assert anonymous.get(f"/clips/{clip_id}", headers=headers).status_code in (302, 404)
        assert anonymous.get(f"/groups/trauer/clips/{clip_id}").status_code == 404


def test_only_the_episodes_author_and_the_editors_mark_passages(team, client, api_token, make_user):
    _anna, eda, group, episode = team
    from mediahub.groups.services import set_member

    bea = make_user("Bea")
    set_member(group, bea.email, "member")
    db.session.commit()
    body = {"title": "Kern", "start_s": 1, "duration_s": 6}
    assert _post(client, episode, api_token(bea), body).status_code == 403
    assert _post(client, episode, {}, body).status_code == 401
    assert _post(client, episode, api_token(eda), body).status_code == 201


def test_an_unknown_shape_or_clip_is_a_404_not_a_500(team, client, api_token):
    anna, *_rest, _episode = team
    for url in (
        "/api/v1/clips/999/videos/square",
        "/api/v1/clips/1/videos/round",
        "/api/v1/clips/99999999999999999999999",
        "/clips/999/square.mp4",
        "/clips/1/..%2f..%2fetc.mp4",
    ):
        assert client.get(url, headers=api_token(anna)).status_code == 404, url


def test_the_openapi_description_documents_the_clip_calls(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/episodes/{item_id}/clips"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/clips/{item_id}"])
    video = paths["/api/v1/clips/{item_id}/videos/{shape}"]["get"]
    assert "video/mp4" in video["responses"]["200"]["content"]
    create = paths["/api/v1/episodes/{item_id}/clips"]["post"]
    assert "5 to 90" in create["summary"] + create.get("description", "")
