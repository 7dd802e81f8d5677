"""The episode form's extras: live status, waveform, picture, transcript, chapters."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from sqlalchemy import select

from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.groups.models import Group


@pytest.fixture
def anna(make_user, make_group):
    user = make_user("Anna")
    make_group("trauer", members={user: "member"})
    return user


@pytest.fixture
def group(anna):
    return db.session.scalar(select(Group).where(Group.slug == "trauer"))


@pytest.mark.parametrize(
    ("state", "error", "message"),
    [
        ("uploaded", None, "wartet auf die Bearbeitung"),
        ("processing", None, "wird gerade bearbeitet"),
        (
            "failed",
            "This file has no sound track. Please upload a recording with sound.",
            "Diese Datei hat keine Tonspur",
        ),
    ],
)
def test_status_endpoint_reports_each_state_in_plain_german(
    browser, anna, group, make_episode, audio_asset, state, error, message
):
    episode = make_episode(group, anna, audio=False)
    episode.audio = audio_asset(state, error)
    db.session.commit()
    resp = browser(anna).get(f"/episodes/{episode.id}/media-status")
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["status"] == state
    assert message in data["message"]
    assert data["is_final"] is (state == "failed")
    assert data["audio_url"] is None


def test_the_page_and_the_app_see_how_far_processing_got(
    browser, client, anna, group, make_episode, audio_asset, api_token
):
    episode = make_episode(group, anna, audio=False)
    episode.audio = audio_asset("processing", None)
    episode.audio.progress = 0.4
    db.session.commit()
    data = browser(anna).get(f"/episodes/{episode.id}/media-status").get_json()
    assert data["progress"] == 0.4
    page = browser(anna).get(f"/episodes/{episode.id}").get_data(as_text=True)
    line = page[page.index('id="processing-progress-line"') :][:400]
    assert "hidden" not in line.split(">")[0]
    assert 'value="0.4"' in line and 'aria-label="Fortschritt der Bearbeitung"' in line
    assert "40\xa0%" in line  # German writes a space before the percent sign
    api = client.get(f"/api/v1/episodes/{episode.id}", headers=api_token(anna)).get_json()
    assert api["media"]["progress"] == 0.4

    # Waiting for a worker, or done: no figure (an old one would mislead).
    for state in ("uploaded", "ready"):
        episode.audio.status = state
        db.session.commit()
        assert (
            browser(anna).get(f"/episodes/{episode.id}/media-status").get_json()["progress"] is None
        )
        api = client.get(f"/api/v1/episodes/{episode.id}", headers=api_token(anna)).get_json()
        assert api["media"]["progress"] is None
    episode.audio.status = "uploaded"
    db.session.commit()
    page = browser(anna).get(f"/episodes/{episode.id}").get_data(as_text=True)
    line = page[page.index('id="processing-progress-line"') :][:60]
    assert "hidden" in line.split(">")[0]


def test_status_when_ready_links_player_and_waveform_and_hides_drafts(
    browser, anonymous, anna, group, make_episode
):
    episode = make_episode(group, anna)
    data = browser(anna).get(f"/episodes/{episode.id}/media-status").get_json()
    assert data["status"] == "ready" and data["is_final"]
    assert data["audio_url"] == f"/media/episodes/{episode.guid}.mp3"
    assert anonymous.get(f"/episodes/{episode.id}/media-status").status_code == 404


def test_peaks_are_served_like_the_audio(browser, anonymous, anna, group, make_episode, app):
    from mediahub.storage import current_storage as storage

    episode = make_episode(group, anna)
    peaks = [0.0, 0.5, 1.0, 0.25]
    stored = storage().save("renditions/peaks/test.json", io.BytesIO(json.dumps(peaks).encode()))
    episode.audio.peaks_key = stored.key
    db.session.commit()
    url = f"/media/episodes/{episode.guid}.peaks.json"
    resp = browser(anna).get(url)
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    assert resp.get_json() == peaks
    # A draft is not public: its waveform is not either.
    assert anonymous.get(url).status_code == 404
    page = browser(anna).get(f"/episodes/{episode.id}").get_data(as_text=True)
    assert 'id="waveform"' in page and f'data-peaks-url="{url}"' in page
    assert 'role="img"' in page and 'aria-label="Wellenform der Aufnahme' in page


def _png(size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_picture_transcript_and_chapters_from_the_form(browser, anna, group, make_episode):
    episode = make_episode(group, anna)
    web = browser(anna)
    page = web.get(f"/episodes/{episode.id}/edit").get_data(as_text=True)
    version = page.split('name="version"')[1].split('value="')[1].split('"')[0]
    srt = b"1\n00:00:01,000 --> 00:00:03,000\nHallo zusammen\n"
    resp = web.post_form(
        f"/episodes/{episode.id}/edit",
        {
            "title": "Herbst",
            "version": version,
            "image_file": (io.BytesIO(_png()), "bild.png", "image/png"),
            "transcript_file": (io.BytesIO(srt), "text.srt", "application/x-subrip"),
            "chapter_lines": "00:00 Begrüßung\n00:05 Fragen",
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    db.session.expire_all()
    episode = db.session.get(Episode, episode.id)
    assert episode.image is not None and episode.image.width == episode.image.height
    assert "WEBVTT" in episode.transcript_vtt and "Hallo zusammen" in episode.transcript_vtt
    assert episode.chapters == [
        {"start_s": 0.0, "title": "Begrüßung"},
        {"start_s": 5.0, "title": "Fragen"},
    ]
    page = web.get(f"/episodes/{episode.id}/edit").get_data(as_text=True)
    assert "00:05 Fragen" in page
    assert f"/media/episodes/{episode.guid}/image-{episode.image.id}.jpg" in page
    served = web.get(f"/media/episodes/{episode.guid}/image-{episode.image.id}.jpg")
    assert served.data[:2] == b"\xff\xd8"  # a JPEG
    served.close()


def test_bad_extras_are_shown_next_to_their_field_and_keep_the_text(
    browser, anna, group, make_episode
):
    episode = make_episode(group, anna)
    web = browser(anna)
    resp = web.post_form(
        f"/episodes/{episode.id}/edit",
        {
            "title": "Neuer Titel",
            "image_file": (io.BytesIO(b"not an image"), "bild.jpg", "image/jpeg"),
            "chapter_lines": "Anfang ohne Zeit",
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="image_file-error"' in html
    assert 'value="Neuer Titel"' in html
    assert "Anfang ohne Zeit" in html
    db.session.expire_all()
    assert db.session.get(Episode, episode.id).title == "An episode"


def test_bad_chapters_are_shown_next_to_the_chapters_field(browser, anna, group, make_episode):
    episode = make_episode(group, anna)
    resp = browser(anna).post_form(
        f"/episodes/{episode.id}/edit", {"title": "T", "chapter_lines": "Anfang ohne Zeit"}
    )
    assert resp.status_code == 422
    assert 'id="chapter_lines-error"' in resp.get_data(as_text=True)


def test_the_form_script_saves_fields_first_and_gets_the_upload_address(browser, anna):
    web = browser(anna)
    resp = web.post_form(
        "/groups/trauer/episodes/new", {"title": ""}, headers={"X-Requested-With": "mediahub"}
    )
    assert resp.status_code == 422
    assert "title" in resp.get_json()["fields"]
    resp = web.post_form(
        "/groups/trauer/episodes/new", {"title": "Herbst"}, headers={"X-Requested-With": "mediahub"}
    )
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["upload_url"] == f"/api/v1/episodes/{data['episode_id']}/audio/uploads"
    assert data["next_url"] == f"/episodes/{data['episode_id']}"


def test_form_page_has_the_elements_scripts_rely_on(browser, anna, group, make_episode):
    episode = make_episode(group, anna)
    page = browser(anna).get(f"/episodes/{episode.id}/edit").get_data(as_text=True)
    for element in (
        "upload-progress",
        "upload-cancel",
        "upload-retry",
        "record-start",
        "record-stop",
        "record-level",
        "processing-status",
        "form-problems",
    ):
        assert f'id="{element}"' in page
    assert "<script>" not in page  # CSP: no inline script


def test_api_puts_episode_artwork(client, anna, group, make_episode, api_token):
    episode = make_episode(group, anna)
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/image",
        headers=api_token(anna),
        data={"file": (io.BytesIO(_png((1500, 1600))), "cover.png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["image_url"].endswith(".jpg")
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/image",
        headers=api_token(anna),
        data={"file": (io.BytesIO(b"nope"), "cover.png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
