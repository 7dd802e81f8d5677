"""Metadata edits rewrite the MP3's tags in a new file version; only sound changes re-encode."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import podcastparser
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from PIL import Image

from mediahub.audio._retag import audio_span
from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.media import processing, retagging
from mediahub.media.models import AssetState, MediaAsset
from mediahub.storage import StorageError, current_storage


@pytest.fixture
def manager(make_user, make_group, api_token):
    user = make_user("Mira")
    make_group("zwischenraum", name="Zwischenraum", members={user: "manager"})
    return api_token(user)


@pytest.fixture
def episode(client, manager, speech_wav) -> dict[str, Any]:
    resp = client.post(
        "/api/v1/groups/zwischenraum/episodes",
        headers=manager,
        data={"title": "Erste Fassung", "audio": (io.BytesIO(speech_wav.read_bytes()), "a.wav")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["media"]["status"] == "ready"
    return resp.get_json()


@pytest.fixture
def no_encoding(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records (and refuses) every encode: a tag edit must not need one."""
    calls: list[int] = []

    def refuse(asset_id: int) -> None:
        calls.append(asset_id)
        raise AssertionError("a metadata edit started an encode")

    monkeypatch.setattr(processing, "process", refuse)
    return calls


def _asset() -> MediaAsset:
    db.session.expire_all()
    # The episode's audio is the first asset (an episode image may follow);
    # without an order PostgreSQL may return an updated row last.
    asset = db.session.scalar(db.select(MediaAsset).order_by(MediaAsset.id).limit(1))
    assert asset is not None
    return asset


def _file(asset: MediaAsset, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    with current_storage().open(str(asset.rendition_key)) as fh:
        path.write_bytes(fh.read())
    return path


def _frames(path: Path) -> bytes:
    start, end = audio_span(path)
    return path.read_bytes()[start:end]


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"title": "Zweite Fassung"}, lambda id3: id3["TIT2"].text == ["Zweite Fassung"]),
        (
            {"description": "Neue Notizen."},
            lambda id3: id3["TDES"].text == ["Neue Notizen."],
        ),
    ],
    ids=["title", "description"],
)
def test_a_metadata_edit_rewrites_the_tags_and_keeps_every_audio_byte(
    client, manager, episode, tmp_path, no_encoding, change, check
):
    before = _asset()
    old_key, old_size = before.rendition_key, before.rendition_size
    old_file = _file(before, tmp_path, "old.mp3")
    peaks, original = before.peaks_key, before.original_key

    resp = client.patch(f"/api/v1/episodes/{episode['id']}", headers=manager, json=change)
    assert resp.status_code == 200, resp.get_json()

    after = _asset()
    assert after.status == AssetState.READY
    assert after.rendition_key != old_key  # a new version: caches see the change
    assert not current_storage().exists(str(old_key))  # the old one is gone
    new_file = _file(after, tmp_path, "new.mp3")
    assert check(ID3(new_file))
    assert _frames(new_file) == _frames(old_file)
    assert MP3(new_file).info.length == MP3(old_file).info.length
    assert after.rendition_size == new_file.stat().st_size
    assert old_size == old_file.stat().st_size
    assert (after.peaks_key, after.original_key) == (peaks, original)
    assert (after.tags_written, after.tags_version) == (1, 1)
    assert no_encoding == []


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (40, 120, 90)).save(out, "PNG")
    return out.getvalue()


def test_chapters_and_artwork_are_rewritten_too(client, manager, episode, tmp_path, no_encoding):
    old_file = _file(_asset(), tmp_path, "old.mp3")
    resp = client.put(
        f"/api/v1/episodes/{episode['id']}/chapters",
        headers=manager,
        json={"chapters": "00:00 Ankommen\n00:04 Runde"},
    )
    assert resp.status_code == 200, resp.get_json()
    resp = client.put(
        f"/api/v1/episodes/{episode['id']}/image",
        headers=manager,
        data={"file": (io.BytesIO(_png()), "bild.png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200, resp.get_json()
    new_file = _file(_asset(), tmp_path, "new.mp3")
    id3 = ID3(new_file)
    marks = sorted((c.start_time, c.sub_frames["TIT2"].text[0]) for c in id3.getall("CHAP"))
    assert marks == [(0, "Ankommen"), (4000, "Runde")]
    assert id3.getall("APIC")[0].mime == "image/jpeg"
    assert _frames(new_file) == _frames(old_file)
    assert no_encoding == []


def test_a_sound_change_still_encodes_again(client, manager, episode, monkeypatch):
    first = _asset().rendition_key
    encodes: list[int] = []
    real = processing.process_episode_audio

    def counted(*args, **kwargs):
        encodes.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(processing, "process_episode_audio", counted)
    resp = client.patch(
        f"/api/v1/episodes/{episode['id']}", headers=manager, json={"disguise_voice": True}
    )
    assert resp.status_code == 200
    after = _asset()
    assert encodes == [1]
    assert after.rendition_key != first
    assert after.details["chapter_offset_s"] == 0


def test_the_published_feed_follows_the_new_file(client, manager, episode, app):
    db_episode = db.session.get(Episode, episode["id"])
    db_episode.status = "published"
    db_episode.published_at = dt.datetime.now(dt.UTC)
    db.session.commit()
    resp = client.patch(f"/api/v1/episodes/{episode['id']}", headers=manager, json={"title": "Neu"})
    assert resp.status_code == 200
    asset = _asset()
    feed_path = Path(app.config["FEEDS_ROOT"]) / "public" / "zwischenraum" / "podcast.xml"
    feed = podcastparser.parse("http://hub.test/feed", io.BytesIO(feed_path.read_bytes()))
    (item,) = feed["episodes"]
    assert item["title"] == "Neu"
    assert item["enclosures"][0]["file_size"] == asset.rendition_size
    audio = client.get(f"/media/episodes/{db_episode.guid}.mp3")
    assert audio.headers["ETag"].strip('"') == asset.rendition_sha256
    assert len(audio.data) == asset.rendition_size
    audio.close()


def test_two_workers_never_rewrite_the_same_file(episode, app):
    asset = _asset()
    asset.tags_version += 1
    db.session.commit()
    now = dt.datetime.now(dt.UTC)
    assert retagging.claim(asset.id, now=now)
    assert not retagging.claim(asset.id, now=now + dt.timedelta(seconds=30))
    # A killed worker's claim goes stale and is taken over.
    later = now + dt.timedelta(seconds=app.config["AUDIO_STALE_AFTER_SECONDS"] + 1)
    assert retagging.lost_rewrites(now=later) == [asset.id]
    assert retagging.claim(asset.id, now=later)


def test_a_lost_rewrite_is_found_by_the_reconciler(episode, app, monkeypatch):
    asset = _asset()
    asset.tags_version += 1
    db.session.commit()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(
        seconds=app.config["AUDIO_STALE_AFTER_SECONDS"] + 1
    )
    assert asset.id in processing.reconcile(now=later)
    assert not _asset().tags_pending  # the queue (immediate here) rewrote it


def test_an_edit_during_the_rewrite_is_written_by_another(episode, monkeypatch):
    asset = _asset()
    asset.tags_version += 1
    db.session.commit()
    real = retagging.retag_file

    edits = ["Noch neuer"]

    def edit_meanwhile(src, dst, tags):
        if edits:  # once: another request edits the episode while this rewrite runs
            db_episode = db.session.get(Episode, episode["id"])
            db_episode.title = edits.pop()
            db.session.execute(
                db.update(MediaAsset).values(tags_version=MediaAsset.tags_version + 1)
            )
        return real(src, dst, tags)

    monkeypatch.setattr(retagging, "retag_file", edit_meanwhile)
    retagging.retag(asset.id)
    monkeypatch.setattr(retagging, "retag_file", real)
    after = _asset()
    assert after.tags_written == after.tags_version == 2
    with current_storage().local_path(str(after.rendition_key)) as path:
        assert ID3(path)["TIT2"].text == ["Noch neuer"]


def test_a_reencode_that_finished_meanwhile_wins(episode, monkeypatch):
    asset = _asset()
    asset.tags_version += 1
    db.session.commit()
    real = retagging.retag_file
    stored_before = set(_stored())

    def reencoded_meanwhile(src, dst, tags):
        db.session.execute(db.update(MediaAsset).values(rendition_key="renditions/audio/newer.mp3"))
        return real(src, dst, tags)

    monkeypatch.setattr(retagging, "retag_file", reencoded_meanwhile)
    retagging.retag(asset.id)
    assert _asset().rendition_key == "renditions/audio/newer.mp3"
    assert set(_stored()) == stored_before  # the rewrite's file was thrown away


def _stored() -> list[str]:
    root = current_storage().root
    return [str(p.relative_to(root)) for p in root.rglob("*.mp3")]


def test_a_storage_failure_is_tried_again_later(episode, monkeypatch):
    asset = _asset()
    asset.tags_version += 1
    db.session.commit()
    old = asset.rendition_key

    def down(*_args, **_kwargs):
        raise StorageError("storage is down")

    monkeypatch.setattr(type(current_storage()), "put_file", down)
    with pytest.raises(processing.RetryLater):
        retagging.retag(asset.id)
    after = _asset()
    assert (after.rendition_key, after.tags_heartbeat_at) == (old, None)
    assert after.tags_pending and after.status == AssetState.READY


def test_a_file_that_cannot_be_retagged_is_encoded_again(episode):
    asset = _asset()
    with current_storage().local_path(str(asset.rendition_key)) as path:
        path.write_bytes(b"not an mp3 any more")
    asset.tags_version += 1
    db.session.commit()
    damaged = asset.rendition_key
    retagging.retag(asset.id)
    after = _asset()
    assert after.status == AssetState.READY  # encoded from the original, immediately here
    assert after.rendition_key != damaged
    assert not after.tags_pending


def test_chapters_keep_their_place_after_the_intro(client, manager, tmp_path, monkeypatch):
    from ..conftest import make_speechlike

    intro = make_speechlike(tmp_path / "intro.wav", 3, volume=0.5)
    resp = client.put(
        "/api/v1/groups/zwischenraum/intro",
        headers=manager,
        data={"file": (io.BytesIO(intro.read_bytes()), "x.wav")},
        content_type="multipart/form-data",
    )
    assert resp.get_json()["intro"]["status"] == "ready"
    episode = client.post(
        "/api/v1/groups/zwischenraum/episodes",
        headers=manager,
        data={"title": "Mit Intro", "audio": (io.BytesIO(_body(tmp_path)), "a.wav")},
        content_type="multipart/form-data",
    ).get_json()
    offset = _asset_of(episode).details["chapter_offset_s"]
    assert 2.9 <= offset <= 3.1
    encodes: list[int] = []
    monkeypatch.setattr(processing, "process", encodes.append)
    resp = client.put(
        f"/api/v1/episodes/{episode['id']}/chapters",
        headers=manager,
        json={"chapters": "00:00 Anfang\n00:05 Mitte"},
    )
    assert resp.status_code == 200
    path = _file(_asset_of(episode), tmp_path, "with-intro.mp3")
    starts = sorted(c.start_time for c in ID3(path).getall("CHAP"))
    assert starts == [round(offset * 1000), round((offset + 5) * 1000)]
    assert encodes == []


def _body(tmp_path: Path) -> bytes:
    from ..conftest import make_speechlike

    return make_speechlike(tmp_path / "body.wav", 8).read_bytes()


def _asset_of(episode: dict[str, Any]) -> MediaAsset:
    db.session.expire_all()
    row = db.session.get(Episode, episode["id"])
    assert row is not None and row.audio is not None
    return row.audio
