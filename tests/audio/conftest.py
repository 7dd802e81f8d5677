"""Audio fixtures generated with ffmpeg, and independent measuring helpers.

Signals are synthetic but speech-like: band-limited noise and a voiced
harmonic, gated into syllables (~2.3 Hz) and phrases with pauses, so loudness
gating, peaks and limiter behave as with real voices. Files are short and
generated once per session.

The helpers measure with their own ffmpeg calls and parsing rather than the
code under test, so a bug in our parsers cannot hide a bug in our output.
"""

from __future__ import annotations

import itertools
import math
import re
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest

from mediahub.audio.ffmpeg import ffmpeg_path

RATE = 44100
_SYLLABLES = "pow(abs(sin(2*PI*t*2.3)),2)"
_PHRASES = "gt(sin(2*PI*t*0.23)+0.3*sin(2*PI*t*0.71),-0.4)"


def speech_graph(seconds: float, *, channels: int = 2, gain_db: float = 0.0, seed: int = 1) -> str:
    """Return a lavfi graph producing `seconds` of speech-like audio on ``[out]``."""
    envelope = f"0.02+0.98*{_PHRASES}*{_SYLLABLES}"
    layout = "pan=stereo|c0=c0|c1=0.9*c0" if channels == 2 else "pan=mono|c0=c0"
    return (
        f"anoisesrc=color=pink:amplitude=0.5:sample_rate={RATE}:seed={seed}:duration={seconds},"
        f"bandpass=f=900:width_type=o:w=3,volume='{envelope}':eval=frame[noise];"
        f"sine=f=140:sample_rate={RATE}:duration={seconds},"
        f"volume='0.3*{_PHRASES}*pow(abs(sin(2*PI*t*2.3)),3)':eval=frame[voiced];"
        # Plosives: short decaying bursts give the 15-20 dB peak-to-loudness
        # ratio of real speech, so gaining up needs the limiter.
        f"aevalsrc='0.6*exp(-mod(t,1.7)*1000)*sin(2*PI*1000*t)':s={RATE}:d={seconds}[plosives];"
        f"[noise][voiced][plosives]amix=inputs=3:normalize=0,volume={gain_db}dB,{layout}[out]"
    )


def run_ffmpeg(args: Sequence[str]) -> str:
    """Run ffmpeg for a test and return its stderr; fail loudly on errors."""
    cmd = [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-y", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr


def ebur128(path: Path) -> dict[str, float]:
    """Measure integrated loudness (LUFS) and true peak (dBTP) of `path`."""
    log = run_ffmpeg(["-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"])
    summary = log[log.rfind("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert integrated and peak, summary
    return {
        "integrated": float(integrated.group(1)),
        "true_peak": -math.inf if peak.group(1) == "-inf" else float(peak.group(1)),
    }


def ffmpeg_stdout(args: Sequence[str]) -> bytes:
    """Run ffmpeg and return what it wrote to stdout (``pipe:1`` outputs)."""
    cmd = [ffmpeg_path(), "-nostdin", "-v", "error", *args]
    return subprocess.run(cmd, capture_output=True, timeout=120, check=True).stdout


def decoded_seconds(path: Path) -> float:
    """Decode `path` completely and return its length from the number of samples."""
    pcm = ffmpeg_stdout(["-i", str(path), "-ac", "1", "-ar", "8000", "-f", "s16le", "pipe:1"])
    return len(pcm) / 2 / 8000


def dominant_frequency(path: Path, *, low: float = 60, high: float = 400) -> float:
    """Estimate the fundamental of `path` by counting zero crossings in a pitch band."""
    band = f"highpass=f={low},lowpass=f={high},lowpass=f={high}"
    args = ["-i", str(path), "-ac", "1", "-ar", "8000", "-af", band, "-f", "s16le", "pipe:1"]
    samples = memoryview(ffmpeg_stdout(args)).cast("h")
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings / 2 / (len(samples) / 8000)


@pytest.fixture(scope="session")
def tools() -> SimpleNamespace:
    """The helpers above, for test modules (importlib mode cannot import conftest)."""
    return SimpleNamespace(
        speech_graph=speech_graph,
        run_ffmpeg=run_ffmpeg,
        ffmpeg_stdout=ffmpeg_stdout,
        ebur128=ebur128,
        decoded_seconds=decoded_seconds,
        dominant_frequency=dominant_frequency,
    )


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("audio-fixtures")


@pytest.fixture(scope="session")
def make_audio(audio_dir: Path) -> Callable[..., Path]:
    """Factory: ``make_audio(name, graph_or_seconds, *output_args)`` creates a file once.

    A number means that many seconds of `speech_graph` (keyword arguments go
    to it); a graph's ``[out]`` is mapped automatically, other labels need
    ``-map`` in `output_args`.
    """
    made: dict[str, Path] = {}

    def make(name: str, source: str | float, *output_args: str, **speech: float) -> Path:
        if name in made:
            return made[name]
        path = audio_dir / name
        graph = source if isinstance(source, str) else speech_graph(source, **speech)  # type: ignore[arg-type]
        maps = ["-map", "[out]"] if "[out]" in graph else []
        run_ffmpeg(["-filter_complex", graph, *maps, *output_args, str(path)])
        made[name] = path
        return path

    return make


@pytest.fixture(scope="session")
def speech_wav(make_audio: Callable[..., Path]) -> Path:
    """8 s of stereo speech around -27 LUFS (peaks -6 dBTP): -16 LUFS needs the limiter."""
    return make_audio("speech.wav", 8.0, "-c:a", "pcm_s16le", "-ar", str(RATE))


@pytest.fixture(scope="session")
def mono_wav(make_audio: Callable[..., Path]) -> Path:
    return make_audio("mono.wav", 8.0, "-c:a", "pcm_s16le", channels=1, seed=2)


@pytest.fixture(scope="session")
def quiet_wav(make_audio: Callable[..., Path]) -> Path:
    """Very quiet speech (about -47 LUFS): reaching -16 LUFS needs ~30 dB of gain."""
    return make_audio("quiet.wav", 8.0, "-c:a", "pcm_s16le", gain_db=-20.0, seed=3)


@pytest.fixture(scope="session")
def sine_wav(make_audio: Callable[..., Path]) -> Path:
    """1 kHz sine at -20 dBFS in both channels: exactly -20.0 LUFS per BS.1770."""
    graph = "aevalsrc=0.1*sin(2*PI*1000*t):s=48000:d=6,pan=stereo|c0=c0|c1=c0[out]"
    return make_audio("sine.wav", graph, "-c:a", "pcm_f32le")


@pytest.fixture(scope="session")
def silence(make_audio: Callable[..., Path]) -> Callable[[float], Path]:
    def make(seconds: float) -> Path:
        graph = f"anullsrc=r={RATE}:cl=stereo,atrim=duration={seconds}[out]"
        return make_audio(f"silence-{seconds:g}.wav", graph, "-c:a", "pcm_s16le")

    return make
