"""Loudness measurement against signals whose loudness is known exactly."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from mediahub.audio import FFmpegError, measure_loudness
from mediahub.audio._loudness import measure_levels


def test_sine_reference_level(sine_wav: Path) -> None:
    """BS.1770: a 1 kHz sine at -20 dBFS in both channels reads -20.0 LUFS."""
    loudness = measure_loudness(sine_wav)
    assert loudness.integrated_lufs == pytest.approx(-20.0, abs=0.1)
    assert loudness.true_peak_dbtp == pytest.approx(-20.0, abs=0.1)
    assert loudness.lra == pytest.approx(0.0, abs=0.2)


def test_speech_matches_independent_measurement(speech_wav: Path, tools) -> None:
    expected = tools.ebur128(speech_wav)
    loudness = measure_loudness(speech_wav)
    assert loudness.integrated_lufs == pytest.approx(expected["integrated"], abs=0.05)
    assert loudness.true_peak_dbtp == pytest.approx(expected["true_peak"], abs=0.05)
    assert loudness.lra > 1.0  # pauses and phrases give speech a loudness range


def test_silence_reads_as_gate_and_no_peak(silence: Callable[[float], Path]) -> None:
    loudness = measure_loudness(silence(3.0))
    assert loudness.integrated_lufs == -70.0
    assert loudness.true_peak_dbtp == -math.inf


def test_levels_apply_pre_filters(speech_wav: Path) -> None:
    plain = measure_levels(speech_wav, timeout_s=60)
    quieter = measure_levels(speech_wav, pre_filters=["volume=-6dB"], timeout_s=60)
    assert quieter.integrated_lufs == pytest.approx(plain.integrated_lufs - 6.0, abs=0.1)
    assert quieter.sample_peak_dbfs == pytest.approx(plain.sample_peak_dbfs - 6.0, abs=0.1)
    assert plain.decoded_s == pytest.approx(8.0, abs=0.05)
    assert plain.decode_errors == 0


def test_unreadable_file_is_an_ffmpeg_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.write_bytes(b"not audio at all" * 10)
    with pytest.raises(FFmpegError) as caught:
        measure_loudness(junk)
    assert "whitelist" in caught.value.stderr_tail or "Invalid" in caught.value.stderr_tail
