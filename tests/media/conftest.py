"""Audio made with ffmpeg for the media tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mediahub.audio.ffmpeg import ffmpeg_path


def make_speechlike(path: Path, seconds: float, *, channels: int = 2, volume: float = 0.3) -> Path:
    """A tone with pink noise and a syllable-rate tremolo: speech-like dynamics."""
    subprocess.run(
        [ffmpeg_path(), "-nostdin", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"sine=frequency=190:duration={seconds},volume={volume}",
         "-f", "lavfi", "-i", f"anoisesrc=color=pink:duration={seconds}:amplitude=0.03",
         "-filter_complex", "amix=inputs=2,tremolo=f=4:d=0.8",
         "-ar", "44100", "-ac", str(channels), str(path)],
        check=True, timeout=120)
    return path


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_speechlike(tmp_path_factory.mktemp("audio") / "speech.wav", 8)
