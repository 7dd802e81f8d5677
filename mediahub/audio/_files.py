"""Atomic file output and checksums."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import mutagen
import mutagen.mp3

_FILE_MODE = 0o644


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path next to `final`; move it onto `final` on success.

    The temporary file lives in the same directory, so the rename is atomic:
    readers see the old file or the complete new one, never a partial one.
    On any exception the temporary file is removed and `final` is untouched.

    Args:
        final: Where the finished file must appear.

    Yields:
        The path to write to (an empty placeholder already exists there).
    """
    fd, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp creates 0600; published media must be readable by the web server.
        tmp.chmod(_FILE_MODE)
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync_dir(final.parent)
    finally:
        tmp.unlink(missing_ok=True)


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _fsync(path: Path) -> None:
    # Without it a crash right after the rename can leave an empty final file.
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Mp3Facts:
    """What an MP3's own headers say about it."""

    length: float  # seconds
    bitrate: int  # bits per second
    sketchy: bool  # mutagen was not sure the file is MPEG audio


def mp3_info(path: str | os.PathLike[str]) -> Mp3Facts:
    """The stream facts of an MP3 file (length, bitrate…), from its own headers.

    Raises:
        mutagen.MutagenError: ``path`` is not a readable MP3.
    """
    # mutagen's stubs give the class attribute's type (None), not the loaded one.
    info = cast("Any", mutagen.mp3.MP3(path).info)
    if info is None:
        raise mutagen.MutagenError(f"{path} has no MPEG audio stream")
    return Mp3Facts(
        length=float(info.length), bitrate=int(info.bitrate), sketchy=bool(info.sketchy)
    )
