"""German test speech made on the fly with espeak-ng (Debian's package).

Used by the transcription tests and by ``bench/bench_transcripts.py``: each
sentence is spoken on its own, so we know when it starts and ends, and the
reference text is exactly what the voice says. The sentences are our own
(``data/saetze.txt``): written for these tests, no digits or abbreviations,
the everyday language of a self-help group meeting.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

RATE = 22050  # espeak-ng's own rate; resampled by whoever reads the file
SENTENCES_FILE = Path(__file__).with_name("data") / "saetze.txt"

#: espeak-ng voices for the German "speakers" (variants of the de voice).
VOICES = ("de", "de+m3", "de+female2", "de+m1", "de+m6", "de+anika")


@dataclass(frozen=True, slots=True)
class Spoken:
    """One sentence in a generated recording: when it is heard, and what."""

    start_s: float
    end_s: float
    text: str
    voice: str


def espeak() -> str | None:
    """The espeak-ng program, or None when it is not installed."""
    return shutil.which("espeak-ng")


def sentences() -> list[str]:
    """The German sentences of the test corpus, in their written order."""
    lines = SENTENCES_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _say(text: str, voice: str, words_per_minute: int, workdir: Path) -> bytes:
    """16-bit mono PCM at :data:`RATE` of ``text`` spoken by ``voice``."""
    out = workdir / "say.wav"
    program = espeak()
    if program is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run(
        [program, "-v", voice, "-s", str(words_per_minute), "-w", str(out), "--", text],
        check=True,
        capture_output=True,
        timeout=60,
    )
    with wave.open(str(out), "rb") as wav:
        if wav.getframerate() != RATE or wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise RuntimeError(f"unexpected espeak-ng output: {wav.getparams()}")
        return wav.readframes(wav.getnframes())


def _silence(seconds: float) -> bytes:
    return b"\x00\x00" * round(seconds * RATE)


def speak(
    path: Path,
    script: Iterable[tuple[str, str, int, float]],
    *,
    lead_in_s: float = 0.5,
) -> list[Spoken]:
    """Write a mono WAV of ``script`` and say when each sentence is heard.

    Args:
        path: the WAV file to write (16-bit mono, 22.05 kHz).
        script: ``(text, voice, words_per_minute, pause_after_s)`` per sentence.
        lead_in_s: silence before the first sentence.

    Returns:
        Each sentence with its start and end in the file (the voice's own
        leading and trailing quiet included).
    """
    spoken: list[Spoken] = []
    with tempfile.TemporaryDirectory() as tmp, wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(_silence(lead_in_s))
        at = round(lead_in_s * RATE)
        for text, voice, wpm, pause in script:
            pcm = _say(text, voice, wpm, Path(tmp))
            frames = len(pcm) // 2
            spoken.append(Spoken(at / RATE, (at + frames) / RATE, text, voice))
            wav.writeframes(pcm)
            wav.writeframes(_silence(pause))
            at += frames + round(pause * RATE)
    return spoken


def meeting_script(
    minutes: float, *, seed: int = 13, voices: Sequence[str] = VOICES
) -> list[tuple[str, str, int, float]]:
    """A ``minutes``-long meeting: turns of 2-6 sentences by changing voices.

    The corpus is read in order, then again in a shuffled order (``seed``),
    and so on, until the estimated length is reached. Each turn has one voice
    and a speaking rate between 135 and 170 words a minute; sentences are
    0.3-1.2 s apart, turns 1-3 s, and every ~5 minutes there is a longer
    silence (8-20 s, someone pours tea) for voice activity detection to skip.
    """
    rng = random.Random(seed)
    corpus = sentences()
    order: list[str] = []
    script: list[tuple[str, str, int, float]] = []
    elapsed = 0.0
    since_break = 0.0
    while elapsed < minutes * 60:
        if not order:
            order = corpus[:] if not script else rng.sample(corpus, len(corpus))
        voice = rng.choice(voices)
        wpm = rng.randint(135, 170)
        turn = min(rng.randint(2, 6), len(order))
        for i in range(turn):
            text = order.pop(0)
            pause = rng.uniform(1.0, 3.0) if i == turn - 1 else rng.uniform(0.3, 1.2)
            if since_break > 300:
                pause, since_break = rng.uniform(8.0, 20.0), 0.0
            script.append((text, voice, wpm, pause))
            # espeak-ng speaks about 4 % faster than its nominal rate.
            seconds = len(text.split()) * 57 / wpm + pause
            elapsed += seconds
            since_break += seconds
            if elapsed >= minutes * 60:
                break
    return script
