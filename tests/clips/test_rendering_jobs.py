"""Rendering approved clips in the background, as a worker does it: the
episode's own transcript burned in, its content note first, progress and
failures on the clip's row, the heartbeat, and a crash picked up again."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from sqlalchemy import update

from mediahub.audio.errors import AudioError
from mediahub.clips import rendering
from mediahub.clips.inspect import decoded_seconds, inspect
from mediahub.clips.layout import ClipShape, layout
from mediahub.clips.models import Clip, RenderState
from mediahub.clips.services import create_clip
from mediahub.core import jobs
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.review import services as review
from mediahub.storage import current_storage

from .conftest import run_ffmpeg

#: Words from 9.0 to 11.5 s in the episode: 1.5 to 4.0 s into a clip from 7.5 s.
TRANSCRIPT = "WEBVTT\n\n00:00:09.000 --> 00:00:11.500\n<v Anna>Wir reden heute über Trauer\n"
START, LENGTH = 7.5, 5.0


def _approved_clip(anna, eda, episode, title="Der Kern") -> Clip:
    clip = create_clip(episode, anna, {"title": title, "start_s": START, "duration_s": LENGTH})
    db.session.commit()
    review.submit(clip, anna)
    review.decide(clip, eda, "approve", comment="")
    db.session.commit()  # the queue (immediate in tests) renders it after the commit
    db.session.refresh(clip)
    return clip


def _file(clip: Clip, shape: ClipShape) -> Path:
    row = clip.rendition(shape)
    assert row is not None and row.storage_key
    path = current_storage().serve_path(row.storage_key)
    assert path is not None
    return Path(path)


def _frame(path: Path, at: float) -> Image.Image:
    png = run_ffmpeg("-ss", f"{at}", "-i", str(path), "-frames:v", "1", "-f", "image2pipe",
                     "-c:v", "png", "pipe:1").stdout  # fmt: skip
    return Image.open(io.BytesIO(png)).convert("RGB")


def _changed(a: Image.Image, b: Image.Image, box) -> float:
    """Percent of the pixels in ``box`` that clearly differ."""
    area = (box.x, box.y, box.right, box.bottom)
    diff = ImageChops.difference(a.crop(area), b.crop(area)).convert("L")
    return ImageStat.Stat(diff.point(lambda v: 255 if v > 48 else 0)).mean[0] / 255 * 100


@pytest.mark.slow  # two clips in three shapes, and 30 frames decoded: about 25 s
def test_an_approved_clip_is_rendered_with_the_transcripts_words_and_the_note_first(
    team, client, login
):
    """One episode with a transcript and a content note; the same passage is
    rendered again after the transcript was taken away, so the frames can
    be compared where the words are spoken and where they are not."""
    anna, eda, _group, episode = team
    episode.transcript_vtt, episode.transcript_origin = TRANSCRIPT, "upload"
    episode.content_note = "Diese Folge spricht über Tod."
    db.session.commit()
    captioned = _approved_clip(anna, eda, episode)
    episode.transcript_vtt = None
    db.session.commit()
    plain = _approved_clip(anna, eda, episode, title="Ohne Worte")

    assert captioned.render_state == RenderState.READY, captioned.render_error
    assert captioned.content_note == "Diese Folge spricht über Tod."
    for shape in ClipShape:
        path, lay = _file(captioned, shape), layout(shape)
        found = inspect(path)
        assert (found.width, found.height) == shape.size
        assert (found.video_codec, found.audio_codec) == ("h264", "aac")
        assert found.personal_metadata == {}
        for stream in ("v", "a"):
            assert abs(decoded_seconds(path, stream) - LENGTH) <= 0.1
        assert captioned.rendition(shape).progress == 1.0
        # The cue runs from 1.5 to 4.0 s in clip time: words there, and only
        # with the transcript; nothing in the band after it.
        spoken = _frame(path, 2.5)
        assert _changed(spoken, _frame(_file(plain, shape), 2.5), lay.captions) > 0.3
        assert _changed(_frame(path, 4.6), _frame(_file(plain, shape), 4.6), lay.captions) < 0.05
        # The content note covers everything first: the titles are not there yet.
        assert _changed(_frame(path, 0.2), spoken, lay.titles) > 1

    login(anna)
    status = client.get(f"/clips/{captioned.id}/rendering").get_json()
    assert status["render_state"] == "ready"
    assert sorted(r["shape"] for r in status["renditions"]) == sorted(s.value for s in ClipShape)
    page = client.get(f"/clips/{captioned.id}").get_data(as_text=True)
    for shape in ClipShape:
        assert f"/clips/{captioned.id}/{shape.value}.mp4" in page


def test_while_rendering_the_page_shows_each_shapes_progress(team, client, login):
    anna, _eda, _group, episode = team
    clip = create_clip(episode, anna, {"title": "T", "start_s": 1.0, "duration_s": 5.0})
    clip.render_state = RenderState.RENDERING
    db.session.commit()
    rendering._progress(clip.id, ClipShape.VERTICAL, 0.42)
    login(anna)
    status = client.get(f"/clips/{clip.id}/rendering").get_json()
    assert status == {"render_state": "rendering", "renditions": [
        {"shape": "vertical", "progress": 0.42}]}  # fmt: skip
    page = client.get(f"/clips/{clip.id}").get_data(as_text=True)
    assert 'id="clip-progress-vertical" max="100" value="42"' in page


def test_a_file_that_cannot_be_made_fails_with_a_message_not_a_retry(
    team, client, login, api_token, anonymous, monkeypatch
):
    anna, eda, _group, episode = team

    def broken(*_args, **_kw):
        raise AudioError("ffmpeg failed: invalid data")

    monkeypatch.setattr(rendering, "render_shape", broken)
    clip = _approved_clip(anna, eda, episode)
    assert clip.render_state == RenderState.FAILED
    assert clip.render_error == rendering.FAILED_PLAINLY
    login(anna)
    page = client.get(f"/clips/{clip.id}")
    assert page.status_code == 200
    assert "konnten nicht erstellt werden" in page.get_data(as_text=True)
    assert client.get(f"/clips/{clip.id}/square.mp4").status_code == 404
    answer = anonymous.get(f"/api/v1/clips/{clip.id}", headers=api_token(anna)).get_json()
    assert answer["render_state"] == "failed"
    assert answer["render_error"].startswith("Die Videos konnten nicht erstellt werden.")
    assert "render_error" not in anonymous.get(f"/api/v1/clips/{clip.id}").get_json()


def test_a_passing_failure_goes_back_to_waiting_for_the_next_try(team, monkeypatch):
    anna, _eda, _group, episode = team
    clip = create_clip(episode, anna, {"title": "T", "start_s": 1.0, "duration_s": 5.0})
    clip.render_state = RenderState.WAITING
    db.session.commit()

    def storage_down(*_args, **_kw):
        raise OSError("storage is down")

    monkeypatch.setattr(rendering, "render_shape", storage_down)
    with pytest.raises(OSError):
        rendering.render(clip.id)
    db.session.refresh(clip)
    assert (clip.render_state, clip.render_attempts) == (RenderState.WAITING, 1)


def test_after_too_many_attempts_the_clip_fails_for_good(team, app):
    anna, _eda, _group, episode = team
    clip = create_clip(episode, anna, {"title": "T", "start_s": 1.0, "duration_s": 5.0})
    clip.render_state = RenderState.WAITING
    clip.render_attempts = app.config["CLIP_MAX_ATTEMPTS"]
    db.session.commit()
    rendering.render(clip.id)
    db.session.refresh(clip)
    assert clip.render_state == RenderState.FAILED


def test_two_workers_never_render_the_same_clip(team):
    anna, _eda, _group, episode = team
    clip = create_clip(episode, anna, {"title": "T", "start_s": 1.0, "duration_s": 5.0})
    clip.render_state = RenderState.WAITING
    db.session.commit()
    assert rendering.claim(clip.id)
    assert not rendering.claim(clip.id)  # its heartbeat is fresh
    later = utcnow() + dt.timedelta(minutes=10)
    assert rendering.claim(clip.id, now=later)  # silent for ten minutes: taken over


def test_the_heartbeat_is_kept_while_working(team, app):
    anna, _eda, _group, episode = team
    clip = create_clip(episode, anna, {"title": "T", "start_s": 1.0, "duration_s": 5.0})
    clip.render_state, clip.heartbeat_at = RenderState.RENDERING, None
    db.session.commit()
    beat = jobs.Heartbeat(
        app,
        "test",
        lambda: update(Clip).where(Clip.id == clip.id).values(heartbeat_at=utcnow()),
        every_s=0.05,
    )
    beat.start()
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            db.session.expire_all()
            if db.session.get(Clip, clip.id).heartbeat_at is not None:
                break
            time.sleep(0.05)
    finally:
        beat.stop()
    assert db.session.get(Clip, clip.id).heartbeat_at is not None


@pytest.fixture(scope="module")
def plain_square(tmp_path_factory) -> Path:
    """5 s of 1080x1080 H.264 at 25 fps with AAC, and one personal tag."""
    path = tmp_path_factory.mktemp("verify") / "square.mp4"
    run_ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=1080x1080:r=25:d=5",
               "-f", "lavfi", "-i", "sine=frequency=440:duration=5",
               "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
               "-metadata", "artist=Anna Beispiel", "-shortest", str(path))  # fmt: skip
    return path


def test_a_file_is_checked_before_it_is_stored(plain_square, tmp_path):
    from mediahub.clips.render import ClipRenderError, verify

    with pytest.raises(ClipRenderError, match="metadata"):
        verify(plain_square, ClipShape.SQUARE, 5.0)
    clean = tmp_path / "clean.mp4"
    run_ffmpeg(
        "-i",
        str(plain_square),
        "-map_metadata",
        "-1",
        "-fflags",
        "+bitexact",
        "-c",
        "copy",
        str(clean),
    )
    verify(clean, ClipShape.SQUARE, 5.0)
    with pytest.raises(ClipRenderError, match=r"stream v lasts 5\.00 s, not 5\.30 s"):
        verify(clean, ClipShape.SQUARE, 5.3)
    with pytest.raises(ClipRenderError, match="size 1080x1080"):
        verify(clean, ClipShape.VERTICAL, 5.0)
