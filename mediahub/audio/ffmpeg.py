"""Locating ffmpeg and running it safely.

Every call goes through `run()`: an argument list (never a shell), no stdin,
a hard timeout, bounded stderr capture and failures wrapped in `FFmpegError`
with the tail of stderr. Inputs are opened through `input_args()`, which
restricts protocols *and* demuxers: an uploaded playlist or concat script
must never make ffmpeg read other local files or open network URLs.

ffmpeg is taken from PATH, else from the `imageio-ffmpeg` wheel. That wheel
ships no ffprobe, so probing parses ffmpeg's own log (see `_parsers`).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import imageio_ffmpeg

from mediahub.audio._watchdog import MemoryWatchdog
from mediahub.audio.errors import FFmpegError

# Demuxers we accept for uploads (names as ffmpeg's `-demuxers` lists them;
# "mov" covers mp4/m4a/mov/3gp, "matroska" covers webm). Anything else -
# text, images, playlists, concat scripts - is refused before it is parsed.
FORMAT_WHITELIST = "mp3,mov,wav,w64,aiff,flac,ogg,matroska,aac,caf"

_HEAD_LINES = 150
_TAIL_LINES = 150
# One line per undecodable packet, whatever the codec ("[dec:aac @ ..] [error]
# Error submitting packet to decoder: ...").
_DECODE_ERROR_RE = re.compile(r"\[(?:error|fatal)\][^\n]*decod", re.IGNORECASE)


# The transcode pass decodes its own encoder output with a loopback decoder
# ("-dec"), which ffmpeg has since 7.1. Distributions ship older ones.
MIN_VERSION = (7, 1)


@functools.cache
def ffmpeg_path() -> str:
    """Return the ffmpeg executable: PATH first, else the imageio-ffmpeg binary.

    An ffmpeg on PATH older than `MIN_VERSION` is passed over for the wheel's.

    Returns:
        Absolute path of the ffmpeg executable.

    Raises:
        FFmpegError: When neither is available.
    """
    found = shutil.which("ffmpeg")
    if found and _recent_enough(found):
        return found
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:  # pragma: no cover - broken wheel
        raise FFmpegError(f"imageio-ffmpeg has no usable ffmpeg binary: {exc}") from exc


def parse_version(banner: str) -> tuple[int, int] | None:
    """Return (major, minor) from the first line of ``ffmpeg -version``.

    Args:
        banner: e.g. ``ffmpeg version 5.1.6-0+deb12u1 Copyright ...`` or
            ``ffmpeg version n9.0.2-17-g2a571b6068-20260930 ...``.

    Returns:
        The version, or None for builds from git (``N-118000-g...``), which
        are taken to be recent.
    """
    match = re.match(r"ffmpeg version n?(\d+)\.(\d+)", banner)
    return (int(match.group(1)), int(match.group(2))) if match else None


def version_banner(executable: str, *, timeout: float = 30) -> str:
    """What ``ffmpeg -version`` prints (first line: "ffmpeg version n9.0.2 …").

    Raises:
        OSError, subprocess.SubprocessError: it cannot be run, or fails.
    """
    return subprocess.run(
        [executable, "-hide_banner", "-version"],
        capture_output=True,
        timeout=timeout,
        check=True,
        text=True,
    ).stdout


def _recent_enough(executable: str) -> bool:
    try:
        banner = version_banner(executable)
    except (OSError, subprocess.SubprocessError):
        return False
    version = parse_version(banner)
    return version is None or version >= MIN_VERSION


@functools.cache
def available_filters() -> frozenset[str]:
    """Return the names of the filters compiled into this ffmpeg build.

    Returns:
        Filter names, e.g. ``{"ebur128", "alimiter", ...}``.

    Raises:
        FFmpegError: When ffmpeg cannot be run.
    """
    return parse_filter_list(_listing("filters"))


def _listing(what: str) -> str:
    """What ``ffmpeg -<what>`` prints (its table of filters or encoders)."""
    cmd = [ffmpeg_path(), "-hide_banner", "-nostdin", f"-{what}"]
    try:
        out = subprocess.run(cmd, capture_output=True, timeout=30, check=True, text=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise FFmpegError(f"could not list ffmpeg {what}: {exc}", command=cmd) from exc
    return out.stdout


def parse_filter_list(text: str) -> frozenset[str]:
    """Parse the table printed by ``ffmpeg -filters`` into filter names.

    Args:
        text: stdout of ``ffmpeg -hide_banner -filters``.

    Returns:
        The filter names.
    """
    names = set()
    for line in text.splitlines():
        # " TS adeclick   A->A   Remove impulsive noise..." : flags, name, io.
        match = re.match(r"^\s*[A-Z.|]{2,3}\s+(\w+)\s+\S+->\S+", line)
        if match:
            names.add(match.group(1))
    return frozenset(names)


@functools.cache
def available_encoders() -> frozenset[str]:
    """Return the names of the encoders compiled into this ffmpeg build.

    Raises:
        FFmpegError: When ffmpeg cannot be run.
    """
    return parse_encoder_list(_listing("encoders"))


def parse_encoder_list(text: str) -> frozenset[str]:
    """Parse the table printed by ``ffmpeg -encoders`` into encoder names.

    Args:
        text: stdout of ``ffmpeg -hide_banner -encoders``.

    Returns:
        The encoder names, e.g. ``{"libx264", "aac", ...}``.
    """
    names = set()
    for line in text.splitlines():
        # " V....D libx264   libx264 H.264 / AVC ..." : six flag letters, name.
        match = re.match(r"^\s*[VASFXBD.]{6}\s+(\S+)\s", line)
        if match and match.group(1) != "=":
            names.add(match.group(1))
    return frozenset(names)


def has_filter(name: str) -> bool:
    """Tell whether this ffmpeg build has the filter `name` (e.g. ``rubberband``)."""
    return name in available_filters()


def input_args(path: str | os.PathLike[str]) -> list[str]:
    """Return the arguments that open `path` as an ffmpeg input, locked down.

    The ``file:`` prefix stops a name such as ``-x`` or ``http:x`` from being
    read as an option or a URL.

    Args:
        path: A local file.

    Returns:
        ``[-protocol_whitelist, file,pipe, -format_whitelist, ..., -i, file:/abs]``
    """
    return [
        "-protocol_whitelist",
        "file,pipe",
        "-format_whitelist",
        FORMAT_WHITELIST,
        "-i",
        f"file:{Path(path).resolve()}",
    ]


class _Running:
    """Every ffmpeg this process runs, so a worker told to stop can end them
    at once (its job is handed back; see mediahub.media.processing)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.procs: set[subprocess.Popen[bytes]] = set()
        self.stopping = False

    def add(self, proc: subprocess.Popen[bytes]) -> None:
        with self.lock:
            if self.stopping:
                proc.kill()
            self.procs.add(proc)

    def discard(self, proc: subprocess.Popen[bytes]) -> None:
        with self.lock:
            self.procs.discard(proc)


_running = _Running()


def stop_all() -> int:
    """Kill every running ffmpeg and refuse new ones; returns how many were killed."""
    with _running.lock:
        _running.stopping = True
        procs = list(_running.procs)
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
    return len(procs)


@dataclass(frozen=True)
class FFmpegRun:
    """What a finished ffmpeg run left behind.

    Attributes:
        returncode: ffmpeg's exit status.
        log: First and last lines of stderr (header and summaries live there).
        decode_errors: Number of undecodable packets reported.
    """

    returncode: int
    log: str
    decode_errors: int


class _StderrCollector(threading.Thread):
    """Drain stderr without letting a chatty run grow memory: keep head and tail."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__(daemon=True)
        self._stream = stream
        self.head: list[str] = []
        self.tail: deque[str] = deque(maxlen=_TAIL_LINES)
        self.decode_errors = 0

    def run(self) -> None:
        for raw in self._stream:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if _DECODE_ERROR_RE.search(line):
                self.decode_errors += 1
            if len(self.head) < _HEAD_LINES:
                self.head.append(line)
            else:
                self.tail.append(line)

    def text(self) -> str:
        return "\n".join([*self.head, *self.tail])

    def tail_text(self, lines: int = 25) -> str:
        return "\n".join([*self.head, *self.tail][-lines:])


def run(
    args: Sequence[str],
    *,
    timeout_s: float,
    on_stdout: Callable[[bytes], None] | None = None,
    check: bool = True,
    max_memory_bytes: int | None = None,
) -> FFmpegRun:
    """Run ffmpeg with `args` (no shell), stdin closed, within `timeout_s`.

    Args:
        args: Arguments after the executable; use `input_args()` for inputs.
        timeout_s: Wall-clock limit; the process is killed when it is exceeded.
        on_stdout: Called with each chunk ffmpeg writes to stdout (``pipe:1``
            outputs); stdout is discarded when None.
        check: Raise `FFmpegError` on a non-zero exit status.
        max_memory_bytes: ffmpeg is killed when its resident memory grows
            beyond this (looked at four times a second; Linux only).

    Returns:
        The exit status, the bounded stderr log and the decode-error count.

    Raises:
        FFmpegError: ffmpeg could not start, timed out, or failed while `check`.
    """
    cmd = [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-y", "-loglevel", "level+info"]
    cmd += list(args)
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if on_stdout else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise FFmpegError(f"could not start ffmpeg: {exc}", command=cmd) from exc
    assert proc.stderr is not None  # stderr=PIPE above
    _running.add(proc)
    collector = _StderrCollector(proc.stderr)
    collector.start()
    watchdog = MemoryWatchdog(proc, max_memory_bytes) if max_memory_bytes else None
    try:
        timed_out = _communicate(proc, collector, timeout_s, on_stdout)
    finally:
        _running.discard(proc)
        if watchdog is not None:
            watchdog.stop()
    problem = None
    if watchdog is not None and watchdog.exceeded:
        problem = f"ffmpeg used more than {watchdog.limit // 2**20} MiB of memory"
    elif timed_out:
        problem = f"ffmpeg timed out after {timeout_s:g} s"
    elif check and proc.returncode != 0:
        problem = "ffmpeg failed"
    if problem is not None:
        code = proc.returncode if problem == "ffmpeg failed" else None
        raise FFmpegError(problem, command=cmd, returncode=code, stderr_tail=collector.tail_text())
    return FFmpegRun(proc.returncode, collector.text(), collector.decode_errors)


def _communicate(
    proc: subprocess.Popen[bytes],
    collector: _StderrCollector,
    timeout_s: float,
    on_stdout: Callable[[bytes], None] | None,
) -> bool:
    """Feed stdout to `on_stdout` until ffmpeg exits; return whether it was killed.

    A timer kills the process at the deadline (a blocking read on stdout
    would not notice one); any exception here kills it too, so no ffmpeg
    outlives its caller.
    """
    timed_out = threading.Event()

    def _kill_on_timeout() -> None:
        timed_out.set()
        proc.kill()

    timer = threading.Timer(timeout_s, _kill_on_timeout)
    timer.start()
    try:
        if on_stdout is not None:
            assert proc.stdout is not None
            while chunk := proc.stdout.read(65536):
                on_stdout(chunk)
        proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        timer.cancel()
        collector.join()
        if proc.stdout is not None:
            proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()
    return timed_out.is_set()
