"""The ffmpeg runner: locating the binary, locked-down inputs, timeouts and errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mediahub.audio import FFmpegError, ffmpeg


@pytest.fixture
def fresh_lookup():
    ffmpeg.ffmpeg_path.cache_clear()
    yield
    ffmpeg.ffmpeg_path.cache_clear()


def test_prefers_ffmpeg_on_path(monkeypatch: pytest.MonkeyPatch, fresh_lookup) -> None:
    monkeypatch.setattr(ffmpeg.shutil, "which", lambda name: f"/opt/bin/{name}")
    assert ffmpeg.ffmpeg_path() == "/opt/bin/ffmpeg"


def test_falls_back_to_the_wheel(monkeypatch: pytest.MonkeyPatch, fresh_lookup) -> None:
    import imageio_ffmpeg

    monkeypatch.setattr(ffmpeg.shutil, "which", lambda name: None)
    assert ffmpeg.ffmpeg_path() == imageio_ffmpeg.get_ffmpeg_exe()


def test_filter_capabilities() -> None:
    assert ffmpeg.has_filter("ebur128")
    assert ffmpeg.has_filter("alimiter")
    assert not ffmpeg.has_filter("no_such_filter")


def test_input_paths_are_never_urls_or_options(tmp_path: Path) -> None:
    args = ffmpeg.input_args("http://example.org/x.mp3")
    assert args[-1].startswith("file:/")
    assert args[:4] == [
        "-protocol_whitelist",
        "file,pipe",
        "-format_whitelist",
        ffmpeg.FORMAT_WHITELIST,
    ]


def test_failure_carries_exit_status_and_stderr_tail(tmp_path: Path) -> None:
    with pytest.raises(FFmpegError) as caught:
        ffmpeg.run([*ffmpeg.input_args(tmp_path / "missing.wav"), "-f", "null", "-"], timeout_s=30)
    error = caught.value
    assert error.returncode not in (None, 0)
    assert "missing.wav" in error.stderr_tail
    assert "missing.wav" in str(error)
    assert error.command[0] == ffmpeg.ffmpeg_path()


def test_unchecked_failure_returns_the_log(tmp_path: Path) -> None:
    result = ffmpeg.run(
        [*ffmpeg.input_args(tmp_path / "missing.wav"), "-f", "null", "-"], timeout_s=30, check=False
    )
    assert result.returncode != 0
    assert "No such file" in result.log


def test_timeout_kills_ffmpeg() -> None:
    endless = ["-f", "lavfi", "-i", "anoisesrc=r=48000", "-f", "null", "-"]
    started = time.monotonic()
    with pytest.raises(FFmpegError, match=r"timed out after 0\.5 s"):
        ffmpeg.run(endless, timeout_s=0.5)
    assert time.monotonic() - started < 10


def test_stdout_is_streamed_in_chunks() -> None:
    chunks: list[int] = []
    source = ["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "20"]
    ffmpeg.run(
        [*source, "-f", "u8", "pipe:1"], timeout_s=30, on_stdout=lambda c: chunks.append(len(c))
    )
    assert sum(chunks) == 160_000
    assert len(chunks) > 1


def test_consumer_error_stops_ffmpeg() -> None:
    def refuse(chunk: bytes) -> None:
        raise RuntimeError("consumer gave up")

    endless = ["-f", "lavfi", "-i", "anoisesrc=r=48000", "-f", "s16le", "pipe:1"]
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="consumer gave up"):
        ffmpeg.run(endless, timeout_s=60, on_stdout=refuse)
    assert time.monotonic() - started < 10
