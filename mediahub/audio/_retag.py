"""New ID3 tags for a published MP3 without encoding it again.

Changing an episode's title, description, chapters or artwork changes only
the ID3v2 tag at the start of the file. ``retag`` writes a new file: the new
tag followed by the audio frames of the old file, copied byte for byte
(the encoder's Xing/LAME frame included, so players keep the exact
duration and gapless information). The old file is only read; the new one
appears under its name only when it is complete, so a reader never sees a
half-written file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mediahub.audio._files import atomic_path, mp3_info, sha256_of
from mediahub.audio._tags import EpisodeTags, tag_bytes

_ID3V2_HEADER = 10
_ID3V1_SIZE = 128
_APE_FOOTER = 32
_COPY_CHUNK = 1024 * 1024
# A rewrite must keep the duration that mutagen reads from the frames.
_LENGTH_TOLERANCE_S = 0.001


@dataclass(frozen=True)
class RetagResult:
    """The retagged MP3.

    Attributes:
        path: Where it is.
        size_bytes: Its size.
        sha256: Hex SHA-256 of the whole file.
        duration_s: Its duration, as read from the frames (unchanged).
        audio_offset: Where the audio frames start (after the new tag).
        audio_bytes: How many bytes of audio frames it carries (unchanged).
    """

    path: Path
    size_bytes: int
    sha256: str
    duration_s: float
    audio_offset: int
    audio_bytes: int


def audio_span(path: str | os.PathLike[str]) -> tuple[int, int]:
    """The byte range ``[start, end)`` of an MP3's audio frames.

    Leading ID3v2 tags (one or several, with their padding and footer) and
    a trailing ID3v1 or APEv2 tag are outside it.

    Raises:
        ValueError: No MPEG audio frame starts where the tags end.
    """
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        start = 0
        while True:
            fh.seek(start)
            header = fh.read(_ID3V2_HEADER)
            if len(header) < _ID3V2_HEADER or header[:3] != b"ID3":
                break
            start += _ID3V2_HEADER + _syncsafe(header[6:10])
            if header[5] & 0x10:  # footer present
                start += _ID3V2_HEADER
        end = _end_of_frames(fh, size)
        fh.seek(start)
        sync = fh.read(2)
    if start >= end or len(sync) < 2 or sync[0] != 0xFF or sync[1] & 0xE0 != 0xE0:
        raise ValueError("no MPEG audio frame follows the tags")
    return start, end


def retag(
    src: str | os.PathLike[str], dst: str | os.PathLike[str], tags: EpisodeTags
) -> RetagResult:
    """Write ``dst``: exactly the frames for ``tags``, then the audio frames of ``src``.

    ``src`` is only read; ``dst`` appears atomically (it may not be ``src``).

    Args:
        src: An MP3, normally one the pipeline made.
        dst: Where the retagged copy goes.
        tags: What to write (as `write_tags` writes it).

    Returns:
        Size, checksum, duration and where the audio frames are.

    Raises:
        ValueError: ``src`` has no audio frames after its tags, the tags are
            invalid (cover not JPEG/PNG, a chapter outside the audio), or the
            copy's duration differs; ``dst`` is untouched then.
        mutagen.MutagenError: ``src`` is not a readable MP3.
    """
    src, dst = Path(src), Path(dst)
    if src.resolve() == dst.resolve():
        raise ValueError("the retagged copy needs a name of its own")
    start, end = audio_span(src)
    length = mp3_info(src).length
    tag = tag_bytes(tags, length)
    with atomic_path(dst) as tmp:
        with src.open("rb") as source, tmp.open("wb") as target:
            target.write(tag)
            _copy_range(source, target, start, end - start)
        if audio_span(tmp) != (len(tag), len(tag) + end - start):
            raise ValueError("the retagged copy does not carry the same audio")
        if abs(mp3_info(tmp).length - length) > _LENGTH_TOLERANCE_S:
            raise ValueError("the retagged copy does not have the same duration")
    return RetagResult(
        path=dst,
        size_bytes=dst.stat().st_size,
        sha256=sha256_of(dst),
        duration_s=round(length, 3),
        audio_offset=len(tag),
        audio_bytes=end - start,
    )


def _syncsafe(data: bytes) -> int:
    return (data[0] & 0x7F) << 21 | (data[1] & 0x7F) << 14 | (data[2] & 0x7F) << 7 | data[3] & 0x7F


def _end_of_frames(fh: BinaryIO, size: int) -> int:
    """Where the audio ends: before an ID3v1 tag and an APEv2 tag, if any."""
    end = size
    fh.seek(max(0, end - _ID3V1_SIZE))
    if end >= _ID3V1_SIZE and fh.read(3) == b"TAG":
        end -= _ID3V1_SIZE
    if end >= _APE_FOOTER:
        fh.seek(end - _APE_FOOTER)
        footer = fh.read(_APE_FOOTER)
        if footer[:8] == b"APETAGEX":
            tag_size = int.from_bytes(footer[12:16], "little")
            has_header = bool(int.from_bytes(footer[20:24], "little") & 0x80000000)
            end -= tag_size + (_APE_FOOTER if has_header else 0)
    return end


def _copy_range(source: BinaryIO, target: BinaryIO, start: int, count: int) -> None:
    """Copy ``count`` bytes from ``start``; in the kernel where it can."""
    target.flush()  # what was written before goes first; the kernel copies after it
    base = target.tell()
    src_fd, dst_fd = source.fileno(), target.fileno()
    copy_range = getattr(os, "copy_file_range", None)
    offset, left = start, count
    if copy_range is not None:
        try:
            while left:
                done = copy_range(src_fd, dst_fd, left, offset)
                if done == 0:
                    break
                offset, left = offset + done, left - done
        except OSError:
            pass  # other file systems: the portable way below, from where it stopped
    if left:
        source.seek(offset)
        target.seek(base + count - left)
        while left:
            chunk = source.read(min(_COPY_CHUNK, left))
            if not chunk:
                raise ValueError("the MP3 ended while it was copied")
            target.write(chunk)
            left -= len(chunk)
    target.flush()
