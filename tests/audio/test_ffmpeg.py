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


def _fake_ffmpeg(directory: Path, version: str) -> Path:
    script = directory / "ffmpeg"
    script.write_text(
        f"#!/bin/sh\necho 'ffmpeg version {version} Copyright (c) the FFmpeg developers'\n"
    )
    script.chmod(0o755)
    return script


def test_prefers_a_recent_ffmpeg_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_lookup
) -> None:
    fake = _fake_ffmpeg(tmp_path, "7.1.1")
    monkeypatch.setattr(ffmpeg.shutil, "which", lambda name: str(fake))
    assert ffmpeg.ffmpeg_path() == str(fake)


@pytest.mark.parametrize("found", [None, "5.1.6-0+deb12u1"])
def test_falls_back_to_the_wheel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_lookup, found: str | None
) -> None:
    """No ffmpeg on PATH, or one too old for the loopback decoder (Debian 12)."""
    import imageio_ffmpeg

    fake = str(_fake_ffmpeg(tmp_path, found)) if found else None
    monkeypatch.setattr(ffmpeg.shutil, "which", lambda name: fake)
    assert ffmpeg.ffmpeg_path() == imageio_ffmpeg.get_ffmpeg_exe()


@pytest.mark.parametrize(
    ("banner", "version"),
    [
        ("ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024", (5, 1)),
        ("ffmpeg version n9.0.2-17-g2a571b6068-20260930 Copyright", (9, 0)),
        ("ffmpeg version 7.1 Copyright (c) 2000-2024", (7, 1)),
        ("ffmpeg version N-118000-gabcdef Copyright", None),
    ],
)
def test_version_banner(banner: str, version: tuple[int, int] | None) -> None:
    assert ffmpeg.parse_version(banner) == version


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
