"""The transcode pass: graphs, limiter, verification and metadata stripping."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from mutagen.mp3 import MP3

from mediahub.audio import FFmpegError, Jingle, Limiter, TranscodeSpec, transcode
from mediahub.audio._filters import encode_graph, gain_filter, limiter_filters, pitch_filters
from mediahub.audio._loudness import measure_levels

DEVICE_STRINGS = [b"Alice", b"iPhone", b"48.1351", b"Secret chapter", b"Samsung", b"Voice Memo"]


# --- graph strings -------------------------------------------------------------


def test_gain_and_no_limiter() -> None:
    assert gain_filter(7.456) == "volume=7.46dB"
    assert limiter_filters(None, 44100) == []


def test_oversampled_limiter() -> None:
    filters = limiter_filters(Limiter(limit_dbfs=-2.0, oversample=2), 44100)
    assert filters[0] == "aresample=88200:filter_size=16"
    assert filters[1].startswith("alimiter=limit=0.794328:level=0:latency=1")
    assert filters[2] == "aresample=44100:filter_size=16"


def test_limiter_without_oversampling() -> None:
    filters = limiter_filters(Limiter(limit_dbfs=-1.0, oversample=1), 48000)
    assert len(filters) == 1
    assert filters[0].startswith("alimiter=limit=0.891251")


def test_pitch_fallback_keeps_tempo() -> None:
    filters = pitch_filters(-12.0, 44100, prefer_rubberband=False)
    assert filters == ["asetrate=22050", "aresample=44100", "atempo=2.000000"]
    assert pitch_filters(0.0, 44100, prefer_rubberband=True) == []


def test_pitch_uses_rubberband_when_built_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mediahub.audio._filters.ffmpeg.has_filter", lambda name: True)
    assert pitch_filters(-4.0, 44100, prefer_rubberband=True) == [
        "rubberband=pitch=0.793701:tempo=1"
    ]
    monkeypatch.setattr("mediahub.audio._filters.ffmpeg.has_filter", lambda name: False)
    assert pitch_filters(-4.0, 44100, prefer_rubberband=True)[0] == "asetrate=35002"


def test_graph_without_jingles() -> None:
    graph = encode_graph(channels=1, sample_rate=44100, main_filters=["volume=1dB"])
    assert graph == (
        "[0:a:0]aformat=sample_fmts=fltp:sample_rates=44100:channel_layouts=mono,volume=1dB[out]"
    )
    limited = encode_graph(
        channels=2, sample_rate=48000, main_filters=["volume=1dB"], final_filters=["alimiter"]
    )
    assert limited.endswith("sample_rates=48000:channel_layouts=stereo,volume=1dB,alimiter[out]")


def test_graph_with_jingles_in_order() -> None:
    graph = encode_graph(
        channels=2,
        sample_rate=44100,
        main_filters=["volume=1dB"],
        intro=Jingle(Path("intro.wav"), -0.5),
        outro=Jingle(Path("outro.wav"), 1.0),
        final_filters=["alimiter"],
    )
    stereo = "aformat=sample_fmts=fltp:sample_rates=44100:channel_layouts=stereo"
    assert f"[1:a:0]{stereo},volume=-0.50dB[intro]" in graph
    assert f"[2:a:0]{stereo},volume=1.00dB[outro]" in graph
    # The limiter holds the jingles under the ceiling too.
    assert graph.endswith("[intro][main][outro]concat=n=3:v=0:a=1,alimiter[out]")


def test_graph_with_outro_only() -> None:
    graph = encode_graph(
        channels=2,
        sample_rate=44100,
        main_filters=[],
        intro=None,
        outro=Jingle(Path("outro.wav")),
    )
    assert "[1:a:0]" in graph
    assert graph.endswith("[main][outro]concat=n=2:v=0:a=1[out]")


# --- real encodes ----------------------------------------------------------------


def test_limited_encode_meets_true_peak_and_verifies_itself(
    tmp_path: Path, speech_wav: Path, tools: SimpleNamespace
) -> None:
    before = tools.ebur128(speech_wav)
    gain = -16.0 - before["integrated"]
    assert before["true_peak"] + gain > 2.0, "fixture must need the limiter"
    out = tmp_path / "out.mp3"
    result = transcode(speech_wav, out, TranscodeSpec(gain_db=gain, limiter=Limiter(-2.0)))
    measured = tools.ebur128(out)
    assert measured["true_peak"] <= -1.0
    assert measured["integrated"] == pytest.approx(-16.0, abs=1.0)
    # The in-pass verification saw exactly what an independent decode sees.
    assert result.loudness.integrated_lufs == pytest.approx(measured["integrated"], abs=0.1)
    assert result.loudness.true_peak_dbtp == pytest.approx(measured["true_peak"], abs=0.1)
    assert result.decoded_duration_s == pytest.approx(8.0, abs=0.1)
    assert tools.decoded_seconds(out) == pytest.approx(8.0, abs=0.1)
    info = MP3(out).info
    assert (info.bitrate, info.sample_rate, info.channels) == (128000, 44100, 2)
    assert len(result.peaks) == 2000


def test_progress_is_reported_by_what_the_verification_heard(
    tmp_path: Path, make_audio: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mediahub.audio import _transcode

    long_wav = make_audio("progress.wav", 40.0, "-c:a", "pcm_s16le")
    monkeypatch.setattr(_transcode, "PROGRESS_EVERY_S", 0.0)
    shares: list[float] = []
    spec = TranscodeSpec(gain_db=0.0, expected_duration_s=40.0)
    transcode(long_wav, tmp_path / "out.mp3", spec, on_progress=shares.append)
    assert len(shares) >= 3
    assert shares == sorted(shares)
    assert 0.0 < shares[0] < 0.9 and 0.95 <= shares[-1] <= 1.0

    # Without a length there is nothing to relate what was heard to.
    shares.clear()
    transcode(
        long_wav, tmp_path / "again.mp3", TranscodeSpec(gain_db=0.0), on_progress=shares.append
    )
    assert shares == []


def test_plain_gain_overshoots_without_limiter(
    tmp_path: Path, speech_wav: Path, tools: SimpleNamespace
) -> None:
    """Shows why the limiter exists: the same gain alone breaks the ceiling."""
    gain = -16.0 - tools.ebur128(speech_wav)["integrated"]
    out = tmp_path / "raw.mp3"
    result = transcode(speech_wav, out, TranscodeSpec(gain_db=gain))
    assert result.loudness.true_peak_dbtp > 2.0
    # Overs above full scale are read correctly, not clipped at 0 dBFS.
    assert result.loudness.true_peak_dbtp == pytest.approx(tools.ebur128(out)["true_peak"], abs=0.2)


@pytest.fixture(scope="module")
def device_recordings(
    make_audio: Callable[..., Path], audio_dir: Path, tools: SimpleNamespace
) -> list[Path]:
    """Phone-like files carrying names, a location, comments, chapters and encoders."""
    chapters = audio_dir / "chapters.ffmeta"
    chapters.write_text(
        ";FFMETADATA1\ntitle=Voice Memo 12\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=2000\n"
        "title=Secret chapter\n"
    )
    source = make_audio("device-source.wav", 4.0, "-c:a", "pcm_s16le")
    tags = [
        "-metadata", "artist=Alice's iPhone",
        "-metadata", "comment=Recorded on Alice's iPhone",
        "-metadata", "location=+48.1351+011.5820/",
        "-metadata", "encoded_by=Samsung Voice Recorder",
    ]  # fmt: skip
    formats = {
        "device.mov": ["-c:a", "aac", "-f", "mov"],
        "device-wav": ["-c:a", "pcm_s16le", "-f", "wav"],
        "device-mp3": ["-c:a", "libmp3lame", "-f", "mp3"],
    }
    paths = []
    for name, codec in formats.items():
        path = audio_dir / name
        inputs = ["-i", str(source), "-f", "ffmetadata", "-i", str(chapters)]
        tools.run_ffmpeg([*inputs, "-map", "0:a", "-map_chapters", "1", *tags, *codec, str(path)])
        paths.append(path)
    return paths


def test_device_metadata_never_survives(
    tmp_path: Path, device_recordings: list[Path], tools: SimpleNamespace
) -> None:
    assert b"\xa9xyz" in device_recordings[0].read_bytes()  # QuickTime location atom
    for index, source in enumerate(device_recordings):
        raw = source.read_bytes()
        assert sum(marker in raw for marker in DEVICE_STRINGS) >= 3, source
        out = tmp_path / f"clean-{index}.mp3"
        transcode(source, out, TranscodeSpec(gain_db=0.0, waveform_points=10))
        data = out.read_bytes()
        for marker in DEVICE_STRINGS:
            assert marker not in data, (source.name, marker)
        assert not data.startswith(b"ID3")  # no tag at all until write_tags
        assert MP3(out).tags is None


def test_failure_leaves_no_partial_file(tmp_path: Path, speech_wav: Path) -> None:
    out = tmp_path / "episode.mp3"
    out.write_bytes(b"previous version")
    with pytest.raises(FFmpegError, match="timed out"):
        transcode(speech_wav, out, TranscodeSpec(gain_db=0.0, timeout_s=0.01))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["episode.mp3"]
    assert out.read_bytes() == b"previous version"


def test_missing_jingle_fails_cleanly(tmp_path: Path, speech_wav: Path) -> None:
    spec = TranscodeSpec(gain_db=0.0, intro=Jingle(tmp_path / "missing.wav"))
    with pytest.raises(FFmpegError) as caught:
        transcode(speech_wav, tmp_path / "episode.mp3", spec)
    assert "missing.wav" in caught.value.stderr_tail
    assert list(tmp_path.iterdir()) == []


def test_true_peak_meter_sees_inter_sample_peaks(
    tmp_path: Path, make_audio: Callable[..., Path], tools: SimpleNamespace
) -> None:
    """A quarter-rate sine at 45 degrees: every sample misses the peak by 3 dB."""
    tone = make_audio(
        "intersample.wav",
        "aevalsrc='0.5*sin(2*PI*11025*t+PI/4)':s=44100:d=3,pan=stereo|c0=c0|c1=c0[out]",
        "-c:a", "pcm_f32le",
    )  # fmt: skip
    out = tmp_path / "tone.mp3"
    result = transcode(tone, out, TranscodeSpec(gain_db=0.0, waveform_points=10))
    reference = tools.ebur128(out)["true_peak"]
    assert reference == pytest.approx(-6.0, abs=0.5)
    assert result.loudness.true_peak_dbtp == pytest.approx(reference, abs=0.2)
    # ...while a plain sample-peak reading would be about 3 dB too low.
    assert measure_levels(out, timeout_s=60).sample_peak_dbfs < reference - 2.0
