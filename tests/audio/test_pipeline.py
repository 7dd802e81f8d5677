"""End to end: what a listener gets from process_episode_audio, measured on the MP3."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from mediahub.audio import (
    AudioProcessingError,
    EpisodeTags,
    FFmpegError,
    InvalidAudio,
    PipelineOptions,
    normalise_clip,
    probe,
    process_episode_audio,
)
from mediahub.audio import pipeline as pipeline_module

TAGS = EpisodeTags(
    title="Offenes Treffen",
    group="Angehörigengruppe Nord",
    podcast="Gemeinsam stark",
    guid="urn:uuid:0b6c3d9e-8f1a-4c1e-9d77-1f2e3a4b5c6d",
    date=datetime.date(2024, 6, 3),
    description="Wir sprechen über Entlastung im Alltag.",
    chapters=((0.0, "Ankommen"), (4.0, "Austausch")),
)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


def _check_on_target(path: Path, target: float, tools: SimpleNamespace) -> dict[str, float]:
    measured = tools.ebur128(path)
    assert measured["integrated"] == pytest.approx(target, abs=1.0)
    assert measured["true_peak"] <= -1.0
    return measured


def test_stereo_episode(workdir: Path, speech_wav: Path, tools: SimpleNamespace) -> None:
    result = process_episode_audio(speech_wav, workdir, PipelineOptions(tags=TAGS))
    assert result.output_path == workdir / "episode.mp3"
    measured = _check_on_target(result.output_path, -16.0, tools)
    assert tools.decoded_seconds(result.output_path) == pytest.approx(8.0, abs=0.1)
    assert result.duration_s == pytest.approx(8.0, abs=0.1)
    assert result.loudness_lufs == pytest.approx(measured["integrated"], abs=0.1)
    assert result.true_peak_dbtp == pytest.approx(measured["true_peak"], abs=0.1)
    info = MP3(result.output_path).info
    assert (info.channels, info.sample_rate, info.bitrate) == (2, 44100, 128000)
    assert result.bitrate == 128000 and result.channels == 2
    data = result.output_path.read_bytes()
    assert result.size_bytes == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert len(result.peaks) == 2000 and max(result.peaks) == 1.0 and min(result.peaks) >= 0.0
    assert result.source.container == "wav"
    assert ID3(result.output_path)["TIT2"].text == ["Offenes Treffen"]
    assert oct(result.output_path.stat().st_mode & 0o777) == "0o644"


def test_mono_episode_targets_minus_19(workdir: Path, mono_wav: Path, tools) -> None:
    result = process_episode_audio(mono_wav, workdir)
    _check_on_target(result.output_path, -19.0, tools)
    info = MP3(result.output_path).info
    assert info.channels == 1
    assert info.bitrate == pytest.approx(64000, abs=100)
    assert (result.channels, result.bitrate) == (1, 64000)


def test_very_quiet_speech_reaches_target_through_the_limiter(
    workdir: Path, quiet_wav: Path, tools: SimpleNamespace
) -> None:
    source = tools.ebur128(quiet_wav)
    needed_gain = -16.0 - source["integrated"]
    assert needed_gain > 25 and source["true_peak"] + needed_gain > 3.0  # plain gain would clip
    result = process_episode_audio(quiet_wav, workdir)
    _check_on_target(result.output_path, -16.0, tools)


def test_loud_source_is_turned_down(workdir: Path, make_audio: Callable[..., Path], tools) -> None:
    loud = make_audio("loud.flac", 6.0, "-c:a", "flac", "-sample_fmt", "s32", gain_db=14.0)
    assert tools.ebur128(loud)["integrated"] > -14.0
    result = process_episode_audio(loud, workdir)
    _check_on_target(result.output_path, -16.0, tools)


def test_video_upload_becomes_audio_episode(workdir: Path, make_audio, tools) -> None:
    graph = "testsrc=s=64x64:r=10:d=5[v];" + tools.speech_graph(5).replace("[out]", "[a]")
    video = make_audio(
        "episode-video.mov", graph, "-map", "[v]", "-map", "[a]", "-c:v", "mpeg4", "-c:a", "aac"
    )
    result = process_episode_audio(video, workdir)
    _check_on_target(result.output_path, -16.0, tools)
    assert result.duration_s == pytest.approx(5.0, abs=0.1)


def test_surround_48k_is_downmixed_to_stereo_44k(workdir: Path, make_audio, tools) -> None:
    graph = tools.speech_graph(5).replace(
        "pan=stereo|c0=c0|c1=0.9*c0", "pan=5.1|c0=c0|c1=0.9*c0|c2=0.5*c0"
    )
    surround = make_audio("surround.flac", graph, "-c:a", "flac", "-ar", "48000")
    assert probe(surround).channels == 6
    result = process_episode_audio(surround, workdir)
    info = MP3(result.output_path).info
    assert (info.channels, info.sample_rate) == (2, 44100)
    _check_on_target(result.output_path, -16.0, tools)


@pytest.fixture(scope="module")
def jingles(make_audio: Callable[..., Path], audio_dir: Path) -> tuple[Path, Path]:
    intro_src = make_audio(
        "intro-src.wav", "aevalsrc='0.2*sin(2*PI*523*t)':s=48000:d=2[out]", "-c:a", "pcm_s16le"
    )
    outro_src = make_audio(
        "outro-src.wav", "aevalsrc='0.1*sin(2*PI*392*t)':s=44100:d=1.5[out]", "-c:a", "pcm_s16le"
    )
    intro, outro = audio_dir / "intro-norm.wav", audio_dir / "outro-norm.wav"
    normalise_clip(intro_src, intro)
    normalise_clip(outro_src, outro)
    return intro, outro


@pytest.mark.parametrize("channels", [2, 1])
def test_jingles_are_joined_and_chapters_shifted(
    workdir: Path,
    speech_wav: Path,
    jingles: tuple[Path, Path],
    channels: int,
    tools: SimpleNamespace,
) -> None:
    intro, outro = jingles
    options = PipelineOptions(intro_path=intro, outro_path=outro, tags=TAGS, channels=channels)
    result = process_episode_audio(speech_wav, workdir, options)
    expected = 2.0 + 8.0 + 1.5
    assert tools.decoded_seconds(result.output_path) == pytest.approx(expected, abs=0.1)
    assert result.duration_s == pytest.approx(expected, abs=0.1)
    _check_on_target(result.output_path, -16.0 if channels == 2 else -19.0, tools)
    starts = sorted(chap.start_time for chap in ID3(result.output_path).getall("CHAP"))
    assert starts == [pytest.approx(2000, abs=30), pytest.approx(6000, abs=30)]


def test_voice_disguise_lowers_pitch_and_keeps_duration(
    workdir: Path, make_audio: Callable[..., Path], tools: SimpleNamespace
) -> None:
    voice = make_audio(
        "voice-200hz.wav",
        "aevalsrc='0.3*sin(2*PI*200*t)*(0.4+0.6*abs(sin(2*PI*1.3*t)))':s=44100:d=6[out]",
        "-c:a",
        "pcm_s16le",
    )
    assert tools.dominant_frequency(voice) == pytest.approx(200, rel=0.03)
    options = PipelineOptions(disguise_voice=True, disguise_semitones=-4.0)
    result = process_episode_audio(voice, workdir, options)
    assert tools.dominant_frequency(result.output_path) == pytest.approx(158.7, rel=0.04)
    assert tools.decoded_seconds(result.output_path) == pytest.approx(6.0, abs=0.1)
    _check_on_target(result.output_path, -19.0, tools)  # the test voice is mono


def test_voice_disguise_without_rubberband(
    workdir: Path, make_audio: Callable[..., Path], tools, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mediahub.audio._filters.ffmpeg.has_filter", lambda name: False)
    voice = make_audio(
        "voice-200hz.wav",
        "aevalsrc='0.3*sin(2*PI*200*t)*(0.4+0.6*abs(sin(2*PI*1.3*t)))':s=44100:d=6[out]",
        "-c:a",
        "pcm_s16le",
    )
    result = process_episode_audio(voice, workdir, PipelineOptions(disguise_voice=True))
    assert tools.dominant_frequency(result.output_path) == pytest.approx(158.7, rel=0.04)
    assert tools.decoded_seconds(result.output_path) == pytest.approx(6.0, abs=0.1)


def test_device_metadata_is_not_published(workdir: Path, make_audio, tools) -> None:
    phone = make_audio(
        "phone.mov",
        6.0,
        "-c:a", "aac", "-f", "mov",
        "-metadata", "title=Alice's voice memo",
        "-metadata", "comment=iPhone 13 of Alice",
        "-metadata", "location=+52.5200+013.4050/",
    )  # fmt: skip
    assert b"+52.5200+013.4050" in phone.read_bytes()
    result = process_episode_audio(phone, workdir, PipelineOptions(tags=TAGS))
    data = result.output_path.read_bytes()
    for marker in (b"Alice", b"iPhone", b"52.5200"):
        assert marker not in data
    frames = {key[:4] for key in ID3(result.output_path)}
    assert frames == {
        "TIT2", "TPE1", "TALB", "TCON", "TDRC", "COMM", "TDES", "TGID", "UFID", "PCST",
        "CHAP", "CTOC",
    }  # fmt: skip


def test_rerun_is_identical_and_leaves_one_file(workdir: Path, speech_wav: Path) -> None:
    options = PipelineOptions(tags=TAGS)
    first = process_episode_audio(speech_wav, workdir, options)
    second = process_episode_audio(speech_wav, workdir, options)
    assert second == first
    assert ID3(first.output_path).getall("CHAP") == ID3(second.output_path).getall("CHAP")
    assert [p.name for p in workdir.iterdir()] == ["episode.mp3"]


def test_long_silent_recording_is_refused_by_the_measurement(
    workdir: Path, silence: Callable[[float], Path]
) -> None:
    """Longer than the probe's decode window, so only the full measurement sees it."""
    with pytest.raises(InvalidAudio, match="no audible sound"):
        process_episode_audio(silence(25.0), workdir)
    assert list(workdir.iterdir()) == []


def test_failed_encode_keeps_previous_output_and_no_temp_files(
    workdir: Path, speech_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = workdir / "episode.mp3"
    previous.write_bytes(b"published yesterday")
    real_transcode = pipeline_module.transcode

    def slow_machine(src, dst, spec, **kw):
        slow = spec.__class__(**{**spec.__dict__, "timeout_s": 0.05})
        return real_transcode(src, dst, slow, **kw)

    monkeypatch.setattr(pipeline_module, "transcode", slow_machine)
    with pytest.raises(FFmpegError, match="timed out"):
        process_episode_audio(speech_wav, workdir, PipelineOptions(tags=TAGS))
    assert [p.name for p in workdir.iterdir()] == ["episode.mp3"]
    assert previous.read_bytes() == b"published yesterday"


def test_missed_true_peak_is_corrected_by_a_second_encode(
    workdir: Path, speech_wav: Path, monkeypatch: pytest.MonkeyPatch, tools
) -> None:
    calls = []
    real_transcode = pipeline_module.transcode

    def counting(src, dst, spec, **kw):
        calls.append(spec)
        return real_transcode(src, dst, spec, **kw)

    monkeypatch.setattr(pipeline_module, "transcode", counting)
    # A limiter set above the ceiling, without oversampling: the first MP3 overshoots.
    options = PipelineOptions(limiter_headroom_db=-1.5, limiter_oversample=1)
    result = process_episode_audio(speech_wav, workdir, options)
    assert len(calls) == 2
    assert calls[1].limiter is not None and calls[1].limiter.oversample == 4
    assert calls[1].limiter.limit_dbfs < -1.0
    _check_on_target(result.output_path, -16.0, tools)


def test_unreachable_target_raises_and_cleans_up(workdir: Path, speech_wav: Path) -> None:
    # A ceiling no limiter can hold at this loudness: the peaks would be over it.
    options = PipelineOptions(loudness_tolerance_lu=-1.0, true_peak_dbtp=-40.0)
    with pytest.raises(AudioProcessingError, match="missed its target twice"):
        process_episode_audio(speech_wav, workdir, options)
    assert list(workdir.iterdir()) == []
