"""Probing identifies recordings by content and refuses unusable files with a clear message."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from mediahub.audio import InvalidAudio, probe

# name -> (extra output args, expected container, expected codec)
FORMATS: dict[str, tuple[list[str], str, str]] = {
    "mp3": (["-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3"], "mp3", "mp3"),
    "m4a-aac": (["-c:a", "aac", "-b:a", "96k", "-f", "ipod"], "mov", "aac"),
    "m4a-alac": (["-c:a", "alac", "-f", "ipod"], "mov", "alac"),
    "wav": (["-c:a", "pcm_s16le", "-f", "wav"], "wav", "pcm_s16le"),
    "aiff": (["-c:a", "pcm_s16be", "-f", "aiff"], "aiff", "pcm_s16be"),
    "flac": (["-c:a", "flac", "-f", "flac"], "flac", "flac"),
    "ogg-vorbis": (["-c:a", "libvorbis", "-f", "ogg"], "ogg", "vorbis"),
    "opus": (["-c:a", "libopus", "-f", "opus"], "ogg", "opus"),
    "webm": (["-c:a", "libopus", "-f", "webm"], "matroska", "opus"),
}


@pytest.fixture(scope="module")
def encoded(make_audio: Callable[..., Path]) -> Callable[[str], Path]:
    def make(kind: str) -> Path:
        # No file extensions: uploads are stored under generated keys.
        return make_audio(f"fmt-{kind}", 4.0, *FORMATS[kind][0])

    return make


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_accepts_audio_formats_by_content(kind: str, encoded: Callable[[str], Path]) -> None:
    info = probe(encoded(kind))
    _args, container, codec = FORMATS[kind]
    assert info.container == container
    assert info.codec == codec
    assert info.duration_s == pytest.approx(4.0, abs=0.1)
    assert info.channels == 2
    assert info.sample_rate in (44100, 48000)


def test_browser_recording_without_duration_header(
    tmp_path: Path, make_audio: Callable[..., Path], tools: SimpleNamespace
) -> None:
    """MediaRecorder WebM is written as a stream: the header has no duration."""
    source = make_audio("live-src.wav", 6.0, "-c:a", "pcm_s16le")
    live = tmp_path / "live-recording"
    # Written to a pipe, the muxer cannot go back and add the duration.
    live.write_bytes(
        tools.ffmpeg_stdout(["-i", str(source), "-c:a", "libopus", "-f", "webm", "pipe:1"])
    )
    assert b"\x44\x89" not in live.read_bytes()[:400]  # Matroska "Duration" element absent
    info = probe(live)
    assert info.container == "matroska"
    assert info.duration_s == pytest.approx(6.0, abs=0.1)


def test_vbr_mp3_without_length_header(make_audio: Callable[..., Path], tools) -> None:
    """Without a Xing header ffmpeg guesses the length from the first frames."""
    vbr = make_audio("vbr-no-xing.mp3", 30.0, "-c:a", "libmp3lame", "-q:a", "2", "-write_xing", "0")
    assert probe(vbr).duration_s == pytest.approx(30.0, abs=0.1)


def test_video_audio_track_is_used(make_audio: Callable[..., Path], tools: SimpleNamespace) -> None:
    graph = "testsrc=s=64x64:r=10:d=3[v];" + tools.speech_graph(3).replace("[out]", "[a]")
    maps = ["-map", "[v]", "-map", "[a]"]
    video = make_audio("video.mp4", graph, *maps, "-c:v", "mpeg4", "-c:a", "aac")
    info = probe(video)
    assert info.container == "mov"
    assert info.codec == "aac"
    assert info.duration_s == pytest.approx(3.0, abs=0.1)


def test_mono_is_reported(mono_wav: Path) -> None:
    assert probe(mono_wav).channels == 1


# --- refused files -------------------------------------------------------------


def _message(path: Path, **limits: float) -> str:
    with pytest.raises(InvalidAudio) as caught:
        probe(path, **limits)
    return caught.value.message


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert "empty" in _message(empty)


@pytest.mark.parametrize(
    "content",
    [
        b"Dear group, here is my story.\n" * 200,
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"%PDF-1.4\n" + bytes(500),
    ],
    ids=["text", "png-header", "pdf"],
)
def test_not_audio(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "upload"
    path.write_bytes(content)
    assert "not an audio recording" in _message(path)


def test_real_image_and_zip_are_not_audio(tmp_path: Path, make_audio, speech_wav: Path) -> None:
    image = make_audio("picture.png", "testsrc=s=32x32:d=1,trim=end_frame=1[out]", "-f", "image2")
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(speech_wav, "speech.wav")
    assert "not an audio recording" in _message(image)
    assert "not an audio recording" in _message(archive)


def test_video_without_sound(make_audio: Callable[..., Path]) -> None:
    silent_video = make_audio("mute.mp4", "testsrc=s=64x64:r=10:d=2[out]", "-c:v", "mpeg4")
    assert "no sound track" in _message(silent_video)


def test_truncated_mp3(tmp_path: Path, make_audio: Callable[..., Path]) -> None:
    mp3 = make_audio("long.mp3", 12.0, "-c:a", "libmp3lame", "-b:a", "128k")
    cut = tmp_path / "cut"
    cut.write_bytes(mp3.read_bytes()[: mp3.stat().st_size * 2 // 5])
    assert "incomplete" in _message(cut)


def test_truncated_m4a_without_index(tmp_path: Path, make_audio: Callable[..., Path]) -> None:
    """Phones write the MP4 index last; an interrupted upload loses it."""
    m4a = make_audio("long.m4a", 6.0, "-c:a", "aac", "-f", "ipod")
    cut = tmp_path / "cut"
    cut.write_bytes(m4a.read_bytes()[: m4a.stat().st_size // 2])
    assert "incomplete" in _message(cut)


def test_corrupt_mp3(tmp_path: Path, make_audio: Callable[..., Path]) -> None:
    mp3 = make_audio("long.mp3", 12.0, "-c:a", "libmp3lame", "-b:a", "128k")
    data = bytearray(mp3.read_bytes())
    noise = random.Random(7)
    for index in range(8_000, 40_000):
        data[index] = noise.randrange(256)
    corrupt = tmp_path / "corrupt"
    corrupt.write_bytes(bytes(data))
    assert "damaged" in _message(corrupt)


def test_too_short(make_audio: Callable[..., Path]) -> None:
    blip = make_audio("blip.wav", 0.5, "-c:a", "pcm_s16le")
    message = _message(blip)
    assert "only 0.5 seconds long" in message
    assert "at least 1 second" in message


def test_too_long_uses_the_configured_limit(speech_wav: Path) -> None:
    message = _message(speech_wav, max_duration_s=5.0)
    assert "8 seconds long" in message
    assert "limit of 5 seconds" in message
    assert probe(speech_wav, max_duration_s=10.0).duration_s == pytest.approx(8.0, abs=0.05)


def test_silent(silence: Callable[[float], Path]) -> None:
    assert "no audible sound" in _message(silence(5.0))


def test_hiss_only_counts_as_silent(make_audio: Callable[..., Path]) -> None:
    hiss = make_audio(
        "hiss.wav", "anoisesrc=color=white:amplitude=0.0003:d=4[out]", "-c:a", "pcm_s16le"
    )
    assert "no audible sound" in _message(hiss)
