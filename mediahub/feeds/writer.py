"""Writing feed files: atomically, only when they change, with a gzip twin.

Podcast apps poll feeds often; a file that is rewritten with the same bytes
would still get a new Last-Modified and make every poller download it again.
So a file is only replaced when its bytes differ, and a reader never sees a
half-written file (temp file in the same folder, fsync, ``os.replace``).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import tempfile
from pathlib import Path

from mediahub.feeds.paths import NAMES, private_path, public_path

_MODE = 0o644


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data``: readers see the old file or the new one,
    never a part. ``durable``: on disk (fsync) before it replaces the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _gz_path(path: Path) -> Path:
    return path.with_name(path.name + ".gz")


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except FileNotFoundError:
        return False


def write_feed(path: Path, data: bytes, *, gz: bool) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly these bytes.

    With ``gz``, a ``.gz`` sibling (level 9, no name or time inside, so equal
    input gives equal bytes) gets the same modification time as the file, for
    servers that pick the pre-compressed twin.

    Returns:
        Whether anything was written.
    """
    if _same(path, data) and (not gz or _gz_path(path).is_file()):
        return False
    atomic_write(path, data)
    if gz:
        gz_path = _gz_path(path)
        atomic_write(gz_path, gzip.compress(data, compresslevel=9, mtime=0))
        stat = path.stat()
        os.utime(gz_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return True


def remove_feed(path: Path) -> bool:
    """Remove a feed file and its ``.gz`` sibling; returns whether one existed."""
    removed = False
    for p in (path, _gz_path(path)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            removed = True
    return removed


def remove_group_files(root: str | Path, slug: str, *, public: bool, private: bool) -> None:
    """Remove a group's public and/or private feed files (and emptied folders)."""
    for wanted, path_of in ((public, public_path), (private, private_path)):
        if not wanted:
            continue
        for name in NAMES:
            remove_feed(path_of(root, slug, name))
        folder = path_of(root, slug, NAMES[0]).parent
        if folder.is_dir():
            # Only our own leftovers (stray temp files of a crashed write) remain.
            shutil.rmtree(folder, ignore_errors=True)


def group_slugs_on_disk(root: str | Path) -> dict[str, set[str]]:
    """The group folders present under ``public`` and ``private``."""
    found: dict[str, set[str]] = {"public": set(), "private": set()}
    for kind in found:
        base = Path(root) / kind
        if base.is_dir():
            found[kind] = {p.name for p in base.iterdir() if p.is_dir()}
    return found
