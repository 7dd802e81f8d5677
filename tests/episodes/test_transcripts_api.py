"""Transcripts and chapter links of episodes through the API."""

from __future__ import annotations

import io

import pytest

VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHallo und willkommen.\n"
SRT = b"1\r\n00:00:00,000 --> 00:00:02,000\r\nHallo und willkommen.\r\n\r\n"


@pytest.fixture
def setup(make_user, make_group, make_episode, api_token):
    author, other = make_user("Author"), make_user("Other")
    group = make_group("offen", members={author: "member", other: "member"})
    episode = make_episode(group, author)
    return episode, api_token(author), api_token(other)


def _publish(episode):
    from mediahub.core.extensions import db
    from mediahub.review.workflow import ItemState

    db.session.expire(episode)  # the API may have changed it (and its version)
    episode.status = ItemState.PUBLISHED
    db.session.commit()


def _url(episode):
    return f"/api/v1/episodes/{episode.id}/transcript"


def test_upload_vtt_as_file(client, setup):
    episode, author, _other = setup
    resp = client.put(
        _url(episode),
        headers=author,
        data={"file": (io.BytesIO(VTT), "folge.vtt")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["transcript_url"] == f"http://hub.test/media/episodes/{episode.guid}.vtt"
    served = client.get(body["transcript_url"].removeprefix("http://hub.test"), headers=author)
    assert served.headers["Content-Type"] == "text/vtt; charset=utf-8"
    assert served.headers["Access-Control-Allow-Origin"] == "*"
    assert "Hallo und willkommen." in served.get_data(as_text=True)


def test_srt_body_is_converted_to_webvtt(client, setup):
    episode, author, _other = setup
    resp = client.put(_url(episode), headers=author, data=SRT, content_type="application/x-subrip")
    assert resp.status_code == 200, resp.get_json()
    served = client.get(f"/media/episodes/{episode.guid}.vtt", headers=author)
    text = served.get_data(as_text=True)
    assert text.startswith("WEBVTT")
    assert "00:00:00.000 --> 00:00:02.000" in text


def test_raw_vtt_body(client, setup):
    episode, author, _other = setup
    resp = client.put(_url(episode), headers=author, data=VTT, content_type="text/vtt")
    assert resp.status_code == 200
    assert resp.get_json()["transcript_url"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "text/vtt"),
        (b"just some words", "text/plain"),
        (b"WEBVTT\n\n", "text/vtt"),
        (b"\xff\xfe\x00garbage", "application/x-subrip"),
        (b"WEBVTT\n\n" + b"x" * (3 * 1024**2), "text/vtt"),
    ],
)
def test_garbage_is_422_naming_the_file(client, setup, data, content_type):
    episode, author, _other = setup
    resp = client.put(_url(episode), headers=author, data=data, content_type=content_type)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "invalid"
    assert "file" in error["fields"]


def test_no_file_is_422_and_other_types_415(client, setup):
    episode, author, _other = setup
    empty = client.put(_url(episode), headers=author, data={}, content_type="multipart/form-data")
    assert empty.status_code == 422
    assert "file" in empty.get_json()["error"]["fields"]
    pdf = client.put(_url(episode), headers=author, data=b"%PDF", content_type="application/pdf")
    assert pdf.status_code == 415


def test_only_who_may_edit(client, setup):
    episode, _author, other = setup
    _publish(episode)  # visible to the other member, not theirs to edit
    resp = client.put(_url(episode), headers=other, data=VTT, content_type="text/vtt")
    assert resp.status_code == 403
    assert client.put(_url(episode), data=VTT, content_type="text/vtt").status_code == 401


def test_delete_transcript(client, setup):
    episode, author, other = setup
    client.put(_url(episode), headers=author, data=VTT, content_type="text/vtt")
    assert client.delete(_url(episode), headers=other).status_code == 404  # a draft
    resp = client.delete(_url(episode), headers=author)
    assert resp.status_code == 200
    assert resp.get_json()["transcript_url"] is None
    assert client.get(f"/media/episodes/{episode.guid}.vtt", headers=author).status_code == 404


def test_chapters_url_appears_with_chapters(client, setup):
    episode, author, _other = setup
    before = client.get(f"/api/v1/episodes/{episode.id}", headers=author).get_json()
    assert before["chapters_url"] is None
    assert before["transcript_url"] is None
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/chapters",
        headers=author,
        json={"chapters": "00:00 Ankommen\n00:05 Runde"},
    )
    assert resp.status_code == 200
    url = resp.get_json()["chapters_url"]
    assert url == f"http://hub.test/media/episodes/{episode.guid}.chapters.json"
    doc = client.get(url.removeprefix("http://hub.test"), headers=author).get_json(force=True)
    assert doc["chapters"] == [
        {"startTime": 0, "title": "Ankommen"},
        {"startTime": 5, "title": "Runde"},
    ]


def test_transcript_edit_is_a_change_signal(client, setup):
    from mediahub.core import signals

    episode, author, _other = setup
    seen = []

    def record(item, **kw):
        seen.append(kw["fields"])

    signals.item_changed.connect(record)
    try:
        client.put(_url(episode), headers=author, data=VTT, content_type="text/vtt")
    finally:
        signals.item_changed.disconnect(record)
    assert seen == [["transcript_origin", "transcript_vtt"]]
