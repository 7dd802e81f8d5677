"""A short German recording made on the fly, and the recogniser loaded once.

Both need something that may be missing on a developer's machine (espeak-ng,
the ``transcribe`` extra): the tests then skip with the reason, but never
under CI, where ``.ci/run`` installs espeak-ng and ``make test`` the extra.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from mediahub.audio.ffmpeg import ffmpeg_path
from mediahub.transcripts import engine

from ..conftest import need
from .speech import Spoken, espeak, speak

#: Four sentences; a six-second silence after the second for the voice
#: activity detection to skip. The words the tests look for are those the
#: base model hears reliably in espeak-ng's voice.
SCRIPT = (
    ("Guten Abend und herzlich willkommen zu unserem Treffen.", "de", 150, 0.8),
    ("Die letzte Woche war für mich ziemlich anstrengend.", "de", 150, 6.0),
    ("Am Wochenende war ich mit meiner Schwester im Wald spazieren.", "de", 150, 0.8),
    ("Danke, dass ihr mir zugehört habt.", "de", 150, 0.5),
)
#: Words expected back, with the sentence (index in SCRIPT) they are spoken in.
EXPECTED = {
    "willkommen": 0,
    "woche": 1,
    "anstrengend": 1,
    "wochenende": 2,
    "schwester": 2,
    "wald": 2,
    "danke": 3,
    "zugehört": 3,
}


def need_recogniser() -> None:
    missing = engine.missing_modules()
    need(not missing, f"automatic transcription needs {', '.join(missing)} (make install)")
    need(engine.unavailable(None) is None, str(engine.unavailable(None)))


def need_espeak() -> None:
    need(espeak() is not None, "espeak-ng is not installed (apt-get install espeak-ng)")


def to_mp3(wav: Path, mp3: Path) -> Path:
    """The recording as our renditions are: MP3, 44.1 kHz."""
    subprocess.run(
        [
            *(ffmpeg_path(), "-nostdin", "-loglevel", "error", "-y", "-i", str(wav)),
            *("-ar", "44100", "-c:a", "libmp3lame", "-b:a", "64k", str(mp3)),
        ],
        check=True,
        timeout=120,
    )
    return mp3


@pytest.fixture(scope="session")
def german(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The recording as MP3, what is said when, and its length in seconds."""
    need_espeak()
    folder = tmp_path_factory.mktemp("speech")
    spoken: list[Spoken] = speak(folder / "treffen.wav", SCRIPT)
    mp3 = to_mp3(folder / "treffen.wav", folder / "treffen.mp3")
    length = spoken[-1].end_s + SCRIPT[-1][3]
    return SimpleNamespace(path=mp3, spoken=spoken, length_s=length)


@pytest.fixture(scope="session")
def recogniser(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The default model (Whisper base from the pinned wheels), loaded once."""
    need_recogniser()
    return engine.load(None, tmp_path_factory.mktemp("model-cache"))
