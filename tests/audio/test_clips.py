"""Jingles are trimmed, faded and normalised once, when a group uploads them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from mediahub.audio import InvalidAudio, normalise_clip, probe


@pytest.fixture(scope="module")
def padded_jingle(make_audio: Callable[..., Path], tools: SimpleNamespace) -> Path:
    """A quiet mono 3 s tune with 1 s of silence before and after it, as an MP3."""
    tune = "aevalsrc='0.05*sin(2*PI*440*t)+0.03*sin(2*PI*660*t)':s=44100:d=3"
    graph = f"{tune},adelay=1000,apad=pad_dur=1[out]"
    return make_audio("jingle-raw.mp3", graph, "-c:a", "libmp3lame", "-b:a", "192k")


def test_clip_is_trimmed_normalised_and_stereo_wav(
    tmp_path: Path, padded_jingle: Path, tools: SimpleNamespace
) -> None:
    assert tools.decoded_seconds(padded_jingle) == pytest.approx(5.0, abs=0.1)
    out = tmp_path / "intro.wav"
    loudness = normalise_clip(padded_jingle, out)
    info = probe(out)
    assert (info.container, info.codec, info.channels, info.sample_rate) == (
        "wav",
        "pcm_s16le",
        2,
        44100,
    )
    # Silence is cut down to a few milliseconds at each end.
    assert info.duration_s == pytest.approx(3.0, abs=0.15)
    measured = tools.ebur128(out)
    assert measured["integrated"] == pytest.approx(-16.0, abs=0.5)
    assert measured["true_peak"] <= -1.0
    assert loudness.integrated_lufs == pytest.approx(measured["integrated"], abs=0.1)


def test_abrupt_edges_are_faded(
    tmp_path: Path, make_audio: Callable[..., Path], tools: SimpleNamespace
) -> None:
    """A clip that starts and stops at full swing would click without fades."""
    abrupt = make_audio(
        "jingle-abrupt.wav", "aevalsrc='0.3*cos(2*PI*440*t)':s=44100:d=2[out]", "-c:a", "pcm_s16le"
    )
    raw = abrupt.read_bytes()
    start = raw.index(b"data") + 8
    first = memoryview(raw[start : start + 2]).cast("h")[0]
    assert abs(first) > 9000  # the source really starts at full swing
    out = tmp_path / "intro.wav"
    normalise_clip(abrupt, out)
    pcm = tools.ffmpeg_stdout(["-i", str(out), "-ac", "1", "-f", "s16le", "pipe:1"])
    samples = memoryview(pcm).cast("h")
    middle = max(abs(s) for s in samples[len(samples) // 2 : len(samples) // 2 + 2000])
    assert abs(samples[0]) < middle * 0.05
    assert abs(samples[-1]) < middle * 0.05


def test_mono_target_and_limits(tmp_path: Path, padded_jingle: Path, tools) -> None:
    out = tmp_path / "mono.wav"
    normalise_clip(padded_jingle, out, target_lufs=-19.0, channels=1)
    assert probe(out).channels == 1
    assert tools.ebur128(out)["integrated"] == pytest.approx(-19.0, abs=0.5)
    with pytest.raises(InvalidAudio, match="limit of 2 seconds"):
        normalise_clip(padded_jingle, tmp_path / "long.wav", max_duration_s=2.0)
    assert not (tmp_path / "long.wav").exists()


def test_silent_clip_is_refused(tmp_path: Path, silence: Callable[[float], Path]) -> None:
    with pytest.raises(InvalidAudio, match="no audible sound"):
        normalise_clip(silence(2.0), tmp_path / "out.wav")
    assert list(tmp_path.iterdir()) == []
