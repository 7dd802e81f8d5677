"""Input levels measured while the bytes arrive equal the ones measured afterwards."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from mediahub.audio._filters import format_filter
from mediahub.audio._loudness import measure_levels
from mediahub.audio._streaming import LevelsMeter, MeasuredLevels, measurement_chain
from tests.conftest import make_speechlike

from .conftest import run_ffmpeg


def pre_filters(channels: int) -> list[str]:
    return [format_filter(1 if channels == 1 else 2)]


def streamed(path: Path, piece: int = 64 * 1024) -> MeasuredLevels | None:
    meter = LevelsMeter(pre_filters)
    with path.open("rb") as fh:
        while block := fh.read(piece):
            meter.feed(block)
    return meter.finish()


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("streaming")
    stereo = make_speechlike(folder / "stereo.wav", 30)
    mono = make_speechlike(folder / "mono.wav", 30, channels=1)
    mp3 = folder / "talk.mp3"
    run_ffmpeg(["-i", str(stereo), "-c:a", "libmp3lame", "-b:a", "96k", str(mp3)])
    flac = folder / "talk.flac"
    run_ffmpeg(["-i", str(mono), str(flac)])
    m4a = folder / "moov-at-the-end.m4a"
    run_ffmpeg(["-i", str(stereo), "-c:a", "aac", "-b:a", "96k", str(m4a)])
    return {"stereo": stereo, "mono": mono, "mp3": mp3, "flac": flac, "m4a": m4a}


@pytest.mark.parametrize("name", ["stereo", "mono", "mp3", "flac"])
def test_streamed_levels_match_the_measurement_of_the_stored_file(recordings, name):
    path = recordings[name]
    result = streamed(path)
    assert result is not None
    channels = 1 if name in ("mono", "flac") else 2
    assert result.chain == measurement_chain(pre_filters(channels))
    after = measure_levels(path, pre_filters=pre_filters(channels), timeout_s=60)
    assert result.levels.integrated_lufs == pytest.approx(after.integrated_lufs, abs=0.05)
    assert result.levels.sample_peak_dbfs == pytest.approx(after.sample_peak_dbfs, abs=0.05)
    assert result.levels.decoded_s == pytest.approx(after.decoded_s, abs=0.1)
    assert result.levels.decode_errors == 0


def test_a_format_that_needs_seeking_leaves_the_measurement_to_the_worker(recordings):
    # MP4 written by ffmpeg keeps its index at the end: it cannot be read from a pipe.
    assert streamed(recordings["m4a"]) is None


def test_a_small_file_is_measured_at_the_end(tmp_path):
    short = make_speechlike(tmp_path / "short.wav", 1.5)
    assert short.stat().st_size < 512 * 1024
    result = streamed(short, piece=1000)
    assert result is not None
    assert result.levels.decoded_s == pytest.approx(1.5, abs=0.05)


def test_bytes_that_are_no_recording_give_no_measurement():
    meter = LevelsMeter(pre_filters)
    meter.feed(b"<html>" + b"x" * 600_000)
    assert meter.finish() is None


def test_an_aborted_upload_stops_the_measurement(recordings):
    meter = LevelsMeter(pre_filters)
    with recordings["stereo"].open("rb") as fh:
        meter.feed(fh.read(700_000))
    meter.abort()
    assert meter.finish() is None


def test_the_stored_form_survives_json_and_refuses_garbage(recordings):
    result = streamed(recordings["stereo"])
    assert MeasuredLevels.from_json(result.to_json()) == result
    silent = MeasuredLevels(result.chain, result.levels.__class__(-70.0, -math.inf, 3.0, 0))
    assert MeasuredLevels.from_json(silent.to_json()) == silent
    for bad in (None, [], {"chain": 1}, {"chain": "x", "integrated_lufs": "NaN", "decoded_s": 1,
                                        "decode_errors": 0, "sample_peak_dbfs": 0}):  # fmt: skip
        assert MeasuredLevels.from_json(bad) is None
