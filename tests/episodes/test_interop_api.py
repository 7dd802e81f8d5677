"""Chapters and transcripts through the API in the formats other podcast tools export."""

from __future__ import annotations

import json

import pytest

#: A chapters document as chapter tools export it, with keys we do not know.
TOOL_CHAPTERS = {
    "version": "1.2.0",
    "title": "Folge 3",
    "author": "Gruppe Offen",
    "podcastName": "ignored",
    "chapters": [
        {"startTime": 0, "title": "Ankommen", "img": "https://example.org/a.jpg"},
        {"startTime": 5.5, "endTime": 8, "title": "Runde", "url": "https://example.org/r"},
        {"startTime": 8, "title": "", "toc": False, "img": "https://example.org/b.jpg"},
        {"startTime": 10, "title": "Abschied", "location": {"name": "x"}},
    ],
}

JSON_TRANSCRIPT = {
    "version": "1.0.0",
    "segments": [
        {"speaker": "Anna", "startTime": 0.5, "endTime": 2.0, "body": "Hallo zusammen."},
        {"speaker": "Ben", "startTime": 2.5, "endTime": 4.0, "body": "Guten Abend."},
    ],
}


@pytest.fixture
def setup(make_user, make_group, make_episode, api_token):
    author = make_user("Author")
    group = make_group("offen", members={author: "member"})
    return make_episode(group, author), api_token(author)


def _served(client, url, headers):
    return client.get(url.removeprefix("http://hub.test"), headers=headers)


@pytest.mark.parametrize("content_type", ["application/json", "application/json+chapters"])
def test_a_tools_chapters_document_goes_in_as_it_is_and_comes_back(client, setup, content_type):
    episode, author = setup
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/chapters",
        headers=author,
        data=json.dumps(TOOL_CHAPTERS),
        content_type=content_type,
    )
    assert resp.status_code == 200, resp.get_json()
    served = _served(client, resp.get_json()["chapters_url"], author).get_json(force=True)
    assert [c["title"] for c in served["chapters"]] == ["Ankommen", "Runde", "", "Abschied"]
    assert served["chapters"][1] == {
        "startTime": 5.5,
        "endTime": 8,
        "title": "Runde",
        "url": "https://example.org/r",
    }
    assert served["chapters"][2]["toc"] is False
    assert "location" not in served["chapters"][3]

    # Our own document, sent back unchanged, stays identical.
    again = client.put(
        f"/api/v1/episodes/{episode.id}/chapters",
        headers=author,
        data=json.dumps(served),
        content_type="application/json+chapters",
    )
    assert again.status_code == 200, again.get_json()
    assert _served(client, again.get_json()["chapters_url"], author).get_json(force=True) == served


def test_a_bad_chapters_document_is_422_naming_chapters(client, setup):
    episode, author = setup
    bad = {"version": "1.2.0", "chapters": [{"startTime": "soon", "title": "x"}]}
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/chapters",
        headers=author,
        data=json.dumps(bad),
        content_type="application/json+chapters",
    )
    assert resp.status_code == 422
    assert "chapters" in resp.get_json()["error"]["fields"]


def _cues(client, resp, author):
    vtt = _served(client, resp.get_json()["transcript_url"], author).get_data(as_text=True)
    return vtt


def test_a_json_transcript_body_becomes_webvtt_with_speakers(client, setup):
    episode, author = setup
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/transcript",
        headers=author,
        data=json.dumps(JSON_TRANSCRIPT),
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.get_json()
    vtt = _cues(client, resp, author)
    assert vtt.startswith("WEBVTT")
    assert "<v Anna>Hallo zusammen." in vtt
    assert "00:00:02.500 --> 00:00:04.000\n<v Ben>Guten Abend." in vtt


def test_a_json_transcript_file_is_recognised_by_content(client, setup):
    import io

    episode, author = setup
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/transcript",
        headers=author,
        data={"file": (io.BytesIO(json.dumps(JSON_TRANSCRIPT).encode()), "export.txt")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200, resp.get_json()
    assert "<v Anna>Hallo zusammen." in _cues(client, resp, author)


@pytest.mark.parametrize(
    "body",
    [{"version": "1.0.0"}, {"segments": [{"body": "no time"}]}, [1, 2, 3]],
)
def test_json_that_is_no_transcript_is_422_naming_the_file(client, setup, body):
    episode, author = setup
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/transcript",
        headers=author,
        data=json.dumps(body),
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert "file" in resp.get_json()["error"]["fields"]
