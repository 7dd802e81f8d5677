"""Voice disguise, intro/outro jingles and chapters, measured in the MP3."""

from __future__ import annotations

import io
import itertools
import subprocess

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from mediahub.audio.ffmpeg import ffmpeg_path
from mediahub.core.extensions import db
from mediahub.media.models import MediaAsset

from ..conftest import make_speechlike


@pytest.fixture
def manager(make_user, make_group, api_token):
    user = make_user("Mira")
    make_group("zwischenraum", members={user: "manager"})
    return api_token(user)


def _episode(client, headers, wav, **fields):
    resp = client.post(
        "/api/v1/groups/zwischenraum/episodes",
        headers=headers,
        data={"title": "Folge", **fields, "audio": (io.BytesIO(wav.read_bytes()), "a.wav")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def _mp3(client, headers, episode_id, tmp_path):
    episode = client.get(f"/api/v1/episodes/{episode_id}", headers=headers).get_json()
    assert episode["media"]["status"] == "ready", episode["media"]
    resp = client.get(
        episode["media"]["audio_url"].removeprefix("http://hub.test"), headers=headers
    )
    path = tmp_path / f"{episode_id}.mp3"
    path.write_bytes(resp.data)
    resp.close()
    return path


def _dominant_hz(path) -> float:
    """Zero crossings per second of a mono 8 kHz decode: enough to compare pitch."""
    pcm = subprocess.run(
        [
            ffmpeg_path(),
            "-nostdin",
            "-loglevel",
            "error",
            "-i",
            str(path),
            "-t",
            "6",
            "-ac",
            "1",
            "-ar",
            "8000",
            "-af",
            "lowpass=f=400",
            "-f",
            "s16le",
            "-",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    import array

    samples = array.array("h", pcm)
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings / 2 / (len(samples) / 8000)


def test_disguise_lowers_the_pitch_and_keeps_the_length(client, manager, tmp_path):
    wav = make_speechlike(tmp_path / "voice.wav", 8)
    plain = _mp3(client, manager, _episode(client, manager, wav)["id"], tmp_path)
    hidden = _mp3(
        client, manager, _episode(client, manager, wav, disguise_voice="true")["id"], tmp_path
    )
    assert abs(MP3(hidden).info.length - MP3(plain).info.length) <= 0.1
    assert _dominant_hz(hidden) < _dominant_hz(plain) * 0.9


def test_intro_and_outro_are_joined_to_new_episodes(client, manager, tmp_path):
    intro = make_speechlike(tmp_path / "intro.wav", 3, volume=0.5)
    outro = make_speechlike(tmp_path / "outro.wav", 2, volume=0.5)
    for which, clip in (("intro", intro), ("outro", outro)):
        resp = client.put(
            f"/api/v1/groups/zwischenraum/{which}",
            headers=manager,
            data={"file": (io.BytesIO(clip.read_bytes()), "x.wav")},
            content_type="multipart/form-data",
        )
        assert resp.status_code == 200, resp.get_json()
        assert resp.get_json()[which]["status"] == "ready"
    wav = make_speechlike(tmp_path / "body.wav", 8)
    episode = _episode(client, manager, wav)
    assert abs(MP3(_mp3(client, manager, episode["id"], tmp_path)).info.length - 13) <= 0.25
    assert abs(episode["media"]["duration_s"] - 13) <= 0.25
    resp = client.delete("/api/v1/groups/zwischenraum/intro", headers=manager)
    assert resp.get_json()["intro"] is None


def test_jingle_must_be_audio(client, manager):
    resp = client.put(
        "/api/v1/groups/zwischenraum/intro",
        headers=manager,
        data={"file": (io.BytesIO(b"not a clip" * 100), "x.mp3")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422


def test_chapters_go_into_the_mp3(client, manager, tmp_path, speech_wav):
    episode = _episode(client, manager, speech_wav)
    resp = client.put(
        f"/api/v1/episodes/{episode['id']}/chapters",
        headers=manager,
        json={"chapters": "00:00 Begrüßung\n00:04 Unsere Fragen"},
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["chapters"] == [
        {"start_s": 0.0, "title": "Begrüßung"},
        {"start_s": 4.0, "title": "Unsere Fragen"},
    ]
    tags = ID3(_mp3(client, manager, episode["id"], tmp_path))
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [(c.start_time, c.sub_frames["TIT2"].text[0]) for c in chaps] == [
        (0, "Begrüßung"),
        (4000, "Unsere Fragen"),
    ]
    assert tags.getall("CTOC")


@pytest.mark.parametrize(
    ("chapters", "status"),
    [
        ("5:xx Kaputt", 422),
        ([{"start_s": -1, "title": "x"}], 422),
        ([{"start_s": 1, "title": ""}], 422),
        ("00:01 A\n00:01 B", 422),
        ("59:00 Nach dem Ende", 422),
        ([], 200),
    ],
)
def test_bad_chapters_are_refused(client, manager, speech_wav, chapters, status):
    episode = _episode(client, manager, speech_wav)
    resp = client.put(
        f"/api/v1/episodes/{episode['id']}/chapters", headers=manager, json={"chapters": chapters}
    )
    assert resp.status_code == status, resp.get_json()
    if status == 422:
        assert "chapters" in resp.get_json()["error"]["fields"]


def test_title_change_reprocesses_and_old_audio_stays_online(client, manager, app, speech_wav):
    episode = _episode(client, manager, speech_wav)
    asset = db.session.scalar(db.select(MediaAsset))
    first = asset.rendition_key
    app.config["QUEUE_IMMEDIATE"] = True
    resp = client.patch(
        f"/api/v1/episodes/{episode['id']}", headers=manager, json={"title": "Neuer Titel"}
    )
    assert resp.status_code == 200
    db.session.expire_all()
    asset = db.session.get(MediaAsset, asset.id)
    assert asset.status == "ready"
    assert asset.rendition_key != first
    from mediahub.storage import current_storage as storage

    with storage().local_path(asset.rendition_key) as path:
        assert ID3(path)["TIT2"].text == ["Neuer Titel"]
