"""Shared pieces of the clip tests: a short real MP3 (made once per session)
and a group whose published episode has it as its processed audio."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mediahub.audio import ffmpeg
from mediahub.core.extensions import db
from mediahub.review import services as review
from mediahub.storage import current_storage

#: The test episode's length (seconds).
EPISODE_S = 20.0


def run_ffmpeg(*args: str) -> subprocess.CompletedProcess[bytes]:
    cmd = [ffmpeg.ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-y", *args]
    done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(scope="session")
def episode_mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 s of speech-like stereo sound, about as loud as a processed episode
    (quieter in its first seven seconds, so a wrong passage shows)."""
    path = tmp_path_factory.mktemp("clip-audio") / "episode.mp3"
    graph = (
        "anoisesrc=color=pink:amplitude=0.5:sample_rate=44100:seed=3:duration=20,"
        "bandpass=f=900:width_type=o:w=3,"
        "volume='(0.05+0.95*pow(abs(sin(2*PI*t*2.3)),2))*(0.3+0.7*gt(t,7))':eval=frame,"
        "volume=6dB,"
        "pan=stereo|c0=c0|c1=0.9*c0"
    )
    run_ffmpeg("-f", "lavfi", "-i", graph, "-c:a", "libmp3lame", "-b:a", "128k", str(path))
    return path


@pytest.fixture
def team(app, make_user, make_group, make_episode, episode_mp3):
    anna = make_user("Anna")
    eda = make_user("Eda")
    group = make_group("trauer", name="Trauercafé", members={anna: "member", eda: "editor"})
    episode = make_episode(group, anna, title="Abschied nehmen")
    with episode_mp3.open("rb") as fh:
        stored = current_storage().save("renditions/test/real.mp3", fh)
    episode.audio.rendition_key, episode.audio.duration_s = stored.key, EPISODE_S
    episode.audio.rendition_size = stored.size
    db.session.commit()
    review.submit(episode, anna)
    review.decide(episode, eda, "approve", comment="")
    db.session.commit()
    return anna, eda, group, episode
