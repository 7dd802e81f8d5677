"""Uploads become processed, tagged, measurable MP3s — or a clear failure."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from sqlalchemy import select

from mediahub.audio import _transcode
from mediahub.audio.ffmpeg import ffmpeg_path
from mediahub.core.extensions import db
from mediahub.media import processing
from mediahub.media.models import AssetState, MediaAsset


@pytest.fixture
def author(make_user, make_group, api_token):
    user = make_user("Sonnenblume")
    make_group("trauer", name="Trauercafé", members={user: "member"})
    return api_token(user)


def _upload(client, headers, data: bytes, name: str = "aufnahme.wav"):
    return client.post(
        "/api/v1/groups/trauer/episodes",
        headers=headers,
        data={"title": "Wie ich hierher kam", "audio": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _loudness(path) -> tuple[float, float]:
    out = subprocess.run(
        [
            ffmpeg_path(),
            "-nostdin",
            "-hide_banner",
            "-i",
            str(path),
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stderr
    summary = out[out.rindex("Summary:") :]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return lufs, peak


def test_processing_stores_how_far_the_encode_got(client, author, speech_wav, monkeypatch):
    monkeypatch.setattr(_transcode, "PROGRESS_EVERY_S", 0.0)  # every waveform chunk
    seen: list[tuple[float, float | None]] = []
    store = processing.set_progress

    def watched(asset_id: int, share: float) -> None:
        store(asset_id, share)
        with db.engine.connect() as conn:  # what the page and the app would read now
            stored = conn.scalar(select(MediaAsset.progress).where(MediaAsset.id == asset_id))
        seen.append((share, stored))

    monkeypatch.setattr(processing, "set_progress", watched)
    resp = _upload(client, author, speech_wav.read_bytes())
    assert resp.status_code == 201
    assert seen[0] == (0.0, 0.0)  # reset when the worker takes the job
    assert len(seen) >= 2  # 8 s of audio: the waveform comes in one or two reads
    assert all(0.0 <= share <= 1.0 and stored == round(share, 3) for share, stored in seen)
    assert seen[-1][0] >= 0.9
    episode = client.get(f"/api/v1/episodes/{resp.get_json()['id']}", headers=author).get_json()
    assert episode["media"]["status"] == "ready"
    assert episode["media"]["progress"] is None
    assert db.session.scalar(select(MediaAsset.progress)) is None


def test_progress_is_only_stored_while_processing(audio_asset):
    busy, done = audio_asset("processing"), audio_asset("ready")
    db.session.commit()
    for asset in (busy, done):
        processing.set_progress(asset.id, 0.5)
        db.session.refresh(asset)
    assert (busy.progress, done.progress) == (0.5, None)


def test_upload_is_processed_into_a_normalised_tagged_mp3(client, author, speech_wav, tmp_path):
    resp = _upload(client, author, speech_wav.read_bytes())
    assert resp.status_code == 201
    episode = client.get(f"/api/v1/episodes/{resp.get_json()['id']}", headers=author).get_json()
    media = episode["media"]
    assert media["status"] == "ready", media
    assert abs(media["duration_s"] - 8.0) <= 0.1
    assert abs(media["loudness_lufs"] - -16.0) <= 1.0
    assert media["true_peak_dbtp"] <= -1.0

    path = media["audio_url"].removeprefix("http://hub.test")
    audio = client.get(path, headers=author)
    # Drafts are not public, even by their audio URL.
    assert client.get(path).status_code == 404
    out = tmp_path / "out.mp3"
    out.write_bytes(audio.data)
    audio.close()
    assert len(audio.data) == media["size_bytes"]
    info = MP3(out)
    assert abs(info.info.length - 8.0) <= 0.1
    lufs, peak = _loudness(out)
    assert abs(lufs - -16.0) <= 1.0
    assert peak <= -1.0
    tags = ID3(out)
    assert tags["TIT2"].text == ["Wie ich hierher kam"]
    assert tags["TPE1"].text == ["Trauercafé"]
    assert episode["guid"] in str(tags.getall("TGID") or tags.getall("UFID"))


def test_audio_endpoint_answers_ranges_like_apple_checks(client, author, speech_wav, make_user):
    resp = _upload(client, author, speech_wav.read_bytes())
    episode_id = resp.get_json()["id"]
    from mediahub.episodes.models import Episode

    episode = db.session.get(Episode, episode_id)
    episode.status = "published"
    episode.published_at = dt.datetime.now(dt.UTC)
    db.session.commit()
    url = f"/media/episodes/{episode.guid}.mp3"
    part = client.get(url, headers={"Range": "bytes=0-1"})
    assert part.status_code == 206
    assert len(part.data) == 2
    assert part.headers["Content-Range"].startswith("bytes 0-1/")
    part.close()
    head = client.head(url)
    assert head.status_code == 200
    assert int(head.headers["Content-Length"]) == episode.audio.rendition_size
    assert head.headers["Content-Type"] == "audio/mpeg"
    head.close()


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"Dies ist nur Text, keine Aufnahme.\n" * 50, "notiz.mp3", "keine aufnahme"),
        (b"PK\x03\x04" + b"\0" * 4000, "archiv.wav", "keine aufnahme"),
    ],
)
def test_not_audio_fails_with_a_message_and_cannot_be_approved(client, author, data, name, words):
    resp = _upload(client, author, data, name)
    if resp.status_code == 422:  # recognised at upload time already
        assert words in resp.get_json()["error"]["message"].lower()
        return
    media = resp.get_json()["media"]
    episode = client.get(f"/api/v1/episodes/{resp.get_json()['id']}", headers=author).get_json()
    assert episode["media"]["status"] == "failed", media
    assert words in episode["media"]["error"].lower()


def test_silence_is_refused(client, author, tmp_path):
    wav = tmp_path / "silence.wav"
    subprocess.run(
        [
            ffmpeg_path(),
            "-nostdin",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=44100:cl=stereo",
            "-t",
            "5",
            str(wav),
        ],
        check=True,
        timeout=60,
    )
    resp = _upload(client, author, wav.read_bytes())
    body = resp.get_json()
    message = (body.get("error") or {}).get("message") or client.get(
        f"/api/v1/episodes/{body['id']}", headers=author
    ).get_json()["media"]["error"]
    assert "nichts zu hören" in message


def test_claim_lets_only_one_worker_process(app, make_episode, make_group, make_user):
    asset = MediaAsset(
        kind="episode_audio",
        status=AssetState.UPLOADED,
        storage_backend="local",
        original_key="originals/x/1",
        original_size=1,
        original_sha256="0" * 64,
    )
    db.session.add(asset)
    db.session.commit()
    assert processing.claim(asset.id) is True
    assert processing.claim(asset.id) is False  # heartbeat is fresh: somebody works on it
    later = dt.datetime.now(dt.UTC) + dt.timedelta(
        seconds=app.config["AUDIO_STALE_AFTER_SECONDS"] + 1
    )
    assert processing.claim(asset.id, now=later) is True  # abandoned: take it over
    db.session.refresh(asset)
    assert asset.attempts == 2


def test_reconciler_requeues_abandoned_processing(client, app, author, speech_wav, monkeypatch):
    app.config["QUEUE_IMMEDIATE"] = True
    resp = _upload(client, author, speech_wav.read_bytes())
    asset = db.session.scalar(db.select(MediaAsset))
    # Pretend the worker was killed mid-way: processing, stale heartbeat, no rendition.
    asset.status, asset.rendition_key = AssetState.PROCESSING, None
    asset.heartbeat_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    db.session.commit()
    assert processing.reconcile() == [asset.id]
    db.session.expire_all()
    media = client.get(f"/api/v1/episodes/{resp.get_json()['id']}", headers=author).json["media"]
    assert media["status"] == "ready"


def test_reprocess_command(runner, client, author, speech_wav):
    _upload(client, author, speech_wav.read_bytes())
    asset = db.session.scalar(db.select(MediaAsset))
    first_key = asset.rendition_key
    result = runner.invoke(args=["media", "reprocess", str(asset.id), "--now"])
    assert result.exit_code == 0, result.output
    assert "ready" in result.output
    db.session.expire_all()
    asset = db.session.get(MediaAsset, asset.id)
    assert asset.status == AssetState.READY
    assert asset.rendition_key != first_key
    from mediahub.storage import current_storage as storage

    assert not storage().exists(first_key)  # the old rendition is gone
    assert storage().exists(asset.original_key)  # the original never is
    result = runner.invoke(args=["media", "reprocess", "99999"])
    assert result.exit_code == 1


def test_episode_artwork_goes_into_the_mp3(client, author, speech_wav, tmp_path):
    """Apps that play the downloaded file show the episode's own picture."""
    from PIL import Image

    episode_id = _upload(client, author, speech_wav.read_bytes()).get_json()["id"]
    picture = io.BytesIO()
    Image.new("RGB", (1500, 1500), (200, 30, 30)).save(picture, "PNG")
    resp = client.put(
        f"/api/v1/episodes/{episode_id}/image",
        headers=author,
        data={"file": (io.BytesIO(picture.getvalue()), "bild.png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200, resp.get_json()
    media = client.get(f"/api/v1/episodes/{episode_id}", headers=author).get_json()["media"]
    assert media["status"] == "ready", media
    audio = client.get(media["audio_url"].removeprefix("http://hub.test"), headers=author)
    out = tmp_path / "out.mp3"
    out.write_bytes(audio.data)
    audio.close()
    (apic,) = ID3(out).getall("APIC")
    art = Image.open(io.BytesIO(apic.data))
    assert art.format == "JPEG" and art.width == art.height
    assert art.convert("RGB").getpixel((art.width // 2, art.height // 2))[0] > 150
    assert abs(MP3(out).info.length - 8.0) <= 0.1
