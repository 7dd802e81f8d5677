"""Numbers, booleans and dates: strict, finite and within what we store.

``{"season": 1.5}`` is not season 1, ``"yes"`` is not true, NaN is not a
chapter's start and the year 9999 is no publication date: each is refused
with a 422 that names the field, never stored, never a 500. A processing
job that fails because of such data fails at once, with a message.
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import text

from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.media import processing
from mediahub.media.models import AssetState, MediaAsset
from mediahub.media.options import pipeline_options
from mediahub.review.workflow import ItemState

from .input_setup import SLUG, episode_in_review, feed_xml, make_team


@pytest.fixture
def team(make_user, make_group, api_token):
    return make_team(make_user, make_group, api_token)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("season", 1.5),
        ("season", 1.0),
        ("season", "1"),
        ("season", True),
        ("season", 10**30),
        ("season", -(10**30)),
        ("season", 0),
        ("season", 10_000),
        ("number", "NaN"),
        ("number", [1]),
        ("version", 10**30),
        ("version", 2.5),
        ("explicit", "yes"),
        ("explicit", 1),
        ("explicit", "true"),
        ("explicit", None),
        ("disguise_voice", "on"),
        ("disguise_voice", 0),
    ],
)
def test_numbers_and_booleans_are_strict(client, team, make_episode, field, value):
    episode = make_episode(team.group, team.manager, season=3)
    version = episode.version
    resp = client.patch(
        f"/api/v1/episodes/{episode.id}", json={field: value}, headers=team.as_manager
    )
    assert resp.status_code == 422, resp.get_json()
    assert field in resp.get_json()["error"]["fields"]
    db.session.refresh(episode)
    assert (episode.season, episode.version) == (3, version)


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"season": "2", "explicit": "true"}, 201),
        ({"season": "1.5"}, 422),
        ({"season": "99999999999999999999999"}, 422),
        ({"explicit": "yes"}, 422),
        ({"explicit": "1"}, 422),
    ],
)
def test_multipart_fields_take_the_json_spelling_only(client, team, fields, status):
    resp = client.post(
        f"/api/v1/groups/{SLUG}/episodes",
        data={"title": "Folge", **fields},
        content_type="multipart/form-data",
        headers=team.as_manager,
    )
    assert resp.status_code == status, resp.get_json()
    if status == 201:
        assert (resp.get_json()["season"], resp.get_json()["explicit"]) == (2, True)


@pytest.mark.parametrize("value", ["yes", 1, "true"], ids=["yes", "one", "string"])
def test_group_booleans_are_strict(client, team, value):
    resp = client.patch(f"/api/v1/groups/{SLUG}", json={"explicit": value}, headers=team.as_manager)
    assert resp.status_code == 422
    assert "explicit" in resp.get_json()["error"]["fields"]


# --- chapters -----------------------------------------------------------------


@pytest.mark.parametrize(
    "chapters",
    [
        [{"start_s": "NaN", "title": "A"}],
        [{"start_s": "Infinity", "title": "A"}],
        [{"start_s": 1e300, "title": "A"}],
        [{"start_s": -1, "title": "A"}],
        [{"start_s": True, "title": "A"}],
        [{"start_s": 0, "title": 5}],
        [{"start_s": 0, "title": ["A"]}],
        {"version": "1.2.0", "chapters": [{"startTime": "NaN", "title": "A"}]},
        {"version": "1.2.0", "chapters": [{"startTime": None, "title": "A"}]},
        "NaN:00 Anfang",
        "inf:00 Anfang",
        "1e400:00 Anfang",
        "00:0x10 Anfang",
        "99999999:00 Anfang",
    ],
)
def test_chapters_refuse_non_finite_starts(client, team, make_episode, chapters):
    episode = make_episode(team.group, team.manager)
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/chapters",
        json={"chapters": chapters},
        headers=team.as_manager,
    )
    assert resp.status_code == 422, resp.get_json()
    assert "chapters" in resp.get_json()["error"]["fields"]
    db.session.refresh(episode)
    assert episode.chapters is None


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_chapters_with_json_nan_literals_are_refused(client, team, make_episode, literal):
    episode = make_episode(team.group, team.manager)
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/chapters",
        data='{"chapters": [{"start_s": ' + literal + ', "title": "A"}]}',
        content_type="application/json",
        headers=team.as_manager,
    )
    assert resp.status_code == 400
    db.session.refresh(episode)
    assert episode.chapters is None


def test_the_podcasting_document_we_serve_is_accepted_back(client, team, make_episode):
    episode = make_episode(team.group, team.manager)
    doc = {
        "version": "1.2.0",
        "chapters": [{"startTime": 0, "title": "A"}, {"startTime": 4.5, "title": "B"}],
    }
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/chapters", json={"chapters": doc}, headers=team.as_manager
    )
    assert resp.status_code == 200, resp.get_json()
    served = client.get(f"/media/episodes/{episode.guid}.chapters.json", headers=team.as_manager)
    assert json.loads(served.get_data()) == doc


def test_chapters_typed_into_the_form_refuse_nan(client, team, make_episode, login):
    episode = make_episode(team.group, team.manager)
    login(team.manager)
    resp = client.post_form(
        f"/episodes/{episode.id}/edit",
        {
            "title": episode.title,
            "episode_type": "full",
            "version": episode.version,
            "chapter_lines": "00:00 Anfang\nNaN:00 Ende",
        },
    )
    assert resp.status_code == 422
    assert "Line 2" in resp.get_data(as_text=True) or "Zeile 2" in resp.get_data(as_text=True)


def test_a_nan_stored_before_reaches_no_reader(app, client, team, make_episode):
    """Chapters stored before input was checked (SQLite kept "NaN") are left
    out by every reader: page, feed, chapters file, API and reprocessing."""
    episode = make_episode(team.group, team.manager, title="Alt")
    stored = '[{"start_s": NaN, "title": "Kaputt"}, {"start_s": 3.0, "title": "Gut"}]'
    if db.engine.dialect.name != "sqlite":
        # PostgreSQL's json type refuses such a document itself: it cannot be stored there.
        with pytest.raises(Exception, match=r"(?i)json"), db.engine.begin() as conn:
            conn.execute(text("UPDATE episodes SET chapters = :c"), {"c": stored})
        return
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE episodes SET chapters = :c, status = 'published'"), {"c": stored})
    db.session.expire_all()
    episode = db.session.get(Episode, episode.id)
    assert episode.chapters == [{"start_s": 3.0, "title": "Gut"}]
    assert pipeline_options(app.config, episode).tags.chapters[0].start_s == 3.0
    served = client.get(f"/media/episodes/{episode.guid}.chapters.json")
    assert json.loads(served.get_data())["chapters"] == [{"startTime": 3, "title": "Gut"}]
    assert client.get(f"/api/v1/episodes/{episode.id}").get_json()["chapters"][0]["title"] == "Gut"


# --- processing: a permanent failure fails at once -----------------------------


@pytest.fixture
def waiting_upload(app, client, team, speech_wav):
    app.config["QUEUE_IMMEDIATE"] = False  # processing is driven by the test
    resp = client.post(
        f"/api/v1/groups/{SLUG}/episodes",
        data={"title": "x"},
        content_type="multipart/form-data",
        headers=team.as_manager,
    )
    episode_id = resp.get_json()["id"]
    # Chapters written for a longer take; then the 8-second recording is uploaded.
    resp = client.put(
        f"/api/v1/episodes/{episode_id}/chapters",
        json={"chapters": "00:00 Anfang\n01:00 Nach dem Ende"},
        headers=team.as_manager,
    )
    assert resp.status_code == 200, resp.get_json()
    resp = client.put(
        f"/api/v1/episodes/{episode_id}/audio",
        headers=team.as_manager,
        data={"audio": (io.BytesIO(speech_wav.read_bytes()), "a.wav")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200, resp.get_json()
    return episode_id, db.session.scalar(db.select(MediaAsset.id))


def test_a_job_that_cannot_succeed_fails_at_once_with_a_message(app, client, team, waiting_upload):
    episode_id, asset_id = waiting_upload
    processing.process(asset_id)  # no RetryLater: another try would fail the same way
    asset = db.session.get(MediaAsset, asset_id)
    db.session.refresh(asset)
    assert (asset.status, asset.attempts) == (AssetState.FAILED, 1)
    assert asset.error == processing.FAILED_DATA
    media = client.get(f"/api/v1/episodes/{episode_id}", headers=team.as_manager).get_json()
    assert media["media"]["status"] == "failed"
    assert "check them and save the episode again" in media["media"]["error"]


def test_failures_are_told_apart_in_one_place():
    from mediahub.audio import FFmpegError, InvalidAudio
    from mediahub.storage import StorageError

    assert processing.permanent_failure(InvalidAudio("empty")) == "empty"
    assert processing.permanent_failure(ValueError("cannot convert float NaN")) is not None
    assert processing.permanent_failure(OverflowError("too large")) is not None
    assert processing.permanent_failure(StorageError("S3 down")) is None
    assert processing.permanent_failure(FFmpegError("killed")) is None
    assert processing.permanent_failure(OSError("disk full")) is None


# --- dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "when",
    [
        "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:00:00+14:00",
        "1999-12-31T23:59:59+00:00",
        "2100-01-01T00:00:00Z",
        "2030-05-01T18:00:00",  # no time zone
        "2030-02-30T18:00:00Z",
        "tomorrow",
        "",
        12345,
        "2030-05-01T18:00:00+25:00",
    ],
)
def test_publication_times_are_range_checked(client, team, make_episode, when):
    episode = episode_in_review(team, make_episode)
    resp = client.post(
        f"/api/v1/episodes/{episode.id}/review",
        json={"decision": "approve", "publish_at": when},
        headers=team.as_editor,
    )
    assert resp.status_code == 422, resp.get_json()
    assert "publish_at" in resp.get_json()["error"]["fields"]
    db.session.refresh(episode)
    assert episode.status == ItemState.IN_REVIEW


def test_a_time_within_the_range_schedules(client, team, make_episode):
    episode = episode_in_review(team, make_episode)
    resp = client.post(
        f"/api/v1/episodes/{episode.id}/review",
        json={"decision": "approve", "publish_at": "2099-12-31T23:00:00+02:00"},
        headers=team.as_editor,
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["publish_at"] == "2099-12-31T21:00:00+00:00"
    feed_xml(client)  # the feed stays well-formed (the episode is not in it yet)


@pytest.mark.parametrize(("day", "time"), [("0001-01-01", "00:30"), ("9999-12-31", "23:59")])
def test_the_schedule_form_refuses_dates_out_of_range(client, team, make_episode, login, day, time):
    episode = episode_in_review(team, make_episode)
    login(team.editor)
    resp = client.post_form(
        f"/review/episodes/{episode.id}",
        {"decision": "schedule", "schedule-publish_date": day, "schedule-publish_time": time},
    )
    assert resp.status_code == 422
    assert 'id="schedule-publish_date-error"' in resp.get_data(as_text=True)
