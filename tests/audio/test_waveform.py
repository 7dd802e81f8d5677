"""Waveform peaks: exact point count, normalisation and constant memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediahub.audio import waveform_peaks
from mediahub.audio._waveform import PeakAccumulator


def _u8(levels: list[int], repeat: int) -> bytes:
    """8-bit PCM alternating +level/-level around the 128 zero line."""
    out = bytearray()
    for level in levels:
        out += bytes([128 + level, 128 - level] * (repeat // 2))
    return bytes(out)


def test_points_follow_the_envelope() -> None:
    accumulator = PeakAccumulator(points=4)
    # 1024 samples per level: block sizes are powers of two, so nothing leaks.
    accumulator.feed(_u8([0, 32, 64, 127], repeat=1024))
    assert accumulator.result() == [0.0, 0.252, 0.504, 1.0]


def test_a_peak_leaks_at_most_a_fraction_of_a_point() -> None:
    accumulator = PeakAccumulator(points=10)
    accumulator.feed(_u8([0] * 5 + [100] + [0] * 4, repeat=1000))
    peaks = accumulator.result()
    assert peaks[5] == 1.0
    assert peaks[:4] == [0.0] * 4
    assert peaks[7:] == [0.0] * 3


def test_memory_stays_bounded_for_long_input() -> None:
    accumulator = PeakAccumulator(points=50)
    chunk = _u8([10, 100], repeat=5000)
    for _ in range(2000):  # 20 M samples, ~83 minutes at 4 kHz
        accumulator.feed(chunk)
    assert len(accumulator._blocks) < 8 * 50
    peaks = accumulator.result()
    assert len(peaks) == 50
    assert max(peaks) == 1.0


@pytest.mark.parametrize("hint", [0, 100, 32768, 16 * 32768])
def test_length_hint_changes_nothing_but_speed(hint: int) -> None:
    data = _u8([5, 90, 20, 60, 127, 1, 0, 44], repeat=4096)  # 32768 samples
    reference = PeakAccumulator(points=16)
    reference.feed(data)
    hinted = PeakAccumulator(points=16, expected_samples=hint)
    hinted.feed(data)
    assert hinted.result() == reference.result()


def test_short_input_is_stretched_to_the_requested_points() -> None:
    accumulator = PeakAccumulator(points=100)
    accumulator.feed(_u8([50], repeat=10))
    assert accumulator.result() == [1.0] * 100


def test_silence_and_no_input_give_zeros() -> None:
    silent = PeakAccumulator(points=10)
    silent.feed(bytes([128]) * 1000)
    assert silent.result() == [0.0] * 10
    assert PeakAccumulator(points=3).result() == [0.0, 0.0, 0.0]


def test_chunk_boundaries_do_not_matter() -> None:
    data = _u8([5, 90, 20, 60, 127, 1], repeat=700)
    whole = PeakAccumulator(points=30)
    whole.feed(data)
    pieces = PeakAccumulator(points=30)
    for start in range(0, len(data), 333):
        pieces.feed(data[start : start + 333])
    assert pieces.result() == whole.result()


def test_points_must_be_positive() -> None:
    with pytest.raises(ValueError, match="points"):
        PeakAccumulator(points=0)


def test_waveform_of_file_shows_silence_then_speech(make_audio, tools) -> None:
    graph = "anullsrc=r=44100:cl=stereo:d=3[s];" + tools.speech_graph(3).replace("[out]", "[v]")
    path: Path = make_audio(
        "half-silent.wav", graph + ";[s][v]concat=n=2:v=0:a=1[out]", "-c:a", "pcm_s16le"
    )
    peaks = waveform_peaks(path, points=60)
    assert len(peaks) == 60
    assert max(peaks[:28]) == 0.0
    assert max(peaks[32:]) == 1.0
    assert sum(p > 0.05 for p in peaks[32:]) > 20
