"""ID3 tags for published episodes, written with mutagen.

We write ID3v2.3, not v2.4: every podcast app reads v2.3, while v2.4 is
still misread by some players and by Windows and older Apple software
(UTF-8 text, syncsafe frame sizes). Chapters (CHAP/CTOC) are defined for
both versions. mutagen stores the date as TYER/TDAT in v2.3 and reads it back
as TDRC.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    PCST,
    TALB,
    TCON,
    TDES,
    TDRC,
    TGID,
    TIT2,
    TPE1,
    UFID,
    CTOCFlags,
    ID3v1SaveOptions,
    PictureType,
)

from mediahub.audio._files import mp3_info

# UTF-16 in v2.3 files (mutagen converts from UTF-8 when saving as v2.3).
_UTF8 = 3
# Fixed padding keeps the output byte-identical between runs and lets later
# edits rewrite the tag in place.
_PADDING = 2048
# The ID3 spec limits UFID identifiers to 64 bytes.
_UFID_MAX = 64


@dataclass(frozen=True)
class Chapter:
    """A chapter mark: where it starts (seconds from the start of the MP3) and its title."""

    start_s: float
    title: str


@dataclass(frozen=True)
class EpisodeTags:
    """The tags of one episode.

    Attributes:
        title: Episode title (TIT2).
        group: The self-help group, shown as artist (TPE1).
        podcast: The podcast's name, shown as album (TALB).
        guid: The episode's feed guid (TGID, and UFID when short enough).
        date: Publication date (TDRC).
        description: Episode description (COMM and TDES).
        cover: Cover art as JPEG or PNG bytes (APIC, front cover).
        chapters: Chapter marks; ``(start_s, title)`` pairs are accepted too.
        genre: TCON; ``Podcast`` by convention.
        guid_owner: UFID owner identifier (a URL naming the issuing system).
    """

    title: str
    group: str
    podcast: str
    guid: str
    date: datetime.date | None = None
    description: str = ""
    cover: bytes | None = None
    chapters: tuple[Chapter, ...] = field(default=())
    genre: str = "Podcast"
    guid_owner: str = "https://mediahub.invalid/episode-guid"

    def __post_init__(self) -> None:
        chapters = tuple(c if isinstance(c, Chapter) else Chapter(*c) for c in self.chapters)
        object.__setattr__(self, "chapters", tuple(sorted(chapters, key=lambda c: c.start_s)))


def write_tags(path: str | os.PathLike[str], tags: EpisodeTags) -> None:
    """Replace every tag of the MP3 at `path` with exactly the frames for `tags`.

    Args:
        path: An MP3 file (it is modified in place).
        tags: What to write.

    Raises:
        ValueError: Cover art is neither JPEG nor PNG, or a chapter starts
            outside the audio.
        mutagen.MutagenError: `path` is not a readable MP3.
    """
    path = Path(path)
    id3 = _frames(tags, mp3_info(path).length)
    # A fresh ID3 object replaces the whole existing v2 tag; v1 is removed.
    id3.save(path, v1=ID3v1SaveOptions.REMOVE, v2_version=3, padding=lambda _info: _PADDING)


def tag_bytes(tags: EpisodeTags, length_s: float) -> bytes:
    """The ID3v2.3 tag `write_tags` puts in front of an MP3 of `length_s` seconds.

    Raises:
        ValueError: Cover art is neither JPEG nor PNG, or a chapter starts
            outside the audio.
    """
    buffer = io.BytesIO()
    _frames(tags, length_s).save(buffer, v2_version=3, padding=lambda _info: _PADDING)
    return buffer.getvalue()


def shift_chapters(tags: EpisodeTags, offset_s: float) -> EpisodeTags:
    """The tags with every chapter `offset_s` later (an intro comes first)."""
    if not offset_s or not tags.chapters:
        return tags
    shifted = tuple(Chapter(c.start_s + offset_s, c.title) for c in tags.chapters)
    return dataclasses.replace(tags, chapters=shifted)


def _frames(tags: EpisodeTags, length_s: float) -> ID3:
    id3 = ID3()
    id3.add(TIT2(encoding=_UTF8, text=[tags.title]))
    id3.add(TPE1(encoding=_UTF8, text=[tags.group]))
    id3.add(TALB(encoding=_UTF8, text=[tags.podcast]))
    id3.add(TCON(encoding=_UTF8, text=[tags.genre]))
    if tags.date is not None:
        id3.add(TDRC(encoding=_UTF8, text=[tags.date.isoformat()[:10]]))
    if tags.description:
        id3.add(COMM(encoding=_UTF8, lang="eng", desc="", text=[tags.description]))
        id3.add(TDES(encoding=_UTF8, text=[tags.description]))
    _add_guid(id3, tags)
    # iTunes' podcast flag: files imported by hand are filed under Podcasts.
    id3.add(PCST(value=1))
    if tags.cover is not None:
        id3.add(_cover_frame(tags.cover))
    _add_chapters(id3, tags.chapters, round(length_s * 1000))
    return id3


def _add_guid(id3: ID3, tags: EpisodeTags) -> None:
    # TGID is where Apple's apps and most podcast clients keep the feed item's
    # guid; UFID is the standard ID3 "unique file identifier".
    id3.add(TGID(encoding=_UTF8, text=[tags.guid]))
    if len(tags.guid.encode()) <= _UFID_MAX:
        id3.add(UFID(owner=tags.guid_owner, data=tags.guid.encode()))


def _cover_frame(data: bytes) -> APIC:
    if data.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        mime = "image/png"
    else:
        raise ValueError("cover art must be a JPEG or PNG image")
    return APIC(encoding=_UTF8, mime=mime, type=PictureType.COVER_FRONT, desc="Cover", data=data)


def _add_chapters(id3: ID3, chapters: tuple[Chapter, ...], length_ms: int) -> None:
    if not chapters:
        return
    starts = [round(chapter.start_s * 1000) for chapter in chapters]
    if starts[0] < 0 or starts[-1] >= length_ms:
        raise ValueError("every chapter must start within the audio")
    ids = [f"chp{index}" for index in range(len(chapters))]
    ends = [*starts[1:], length_ms]
    for element_id, chapter, start, end in zip(ids, chapters, starts, ends, strict=True):
        id3.add(
            CHAP(
                element_id=element_id,
                start_time=start,
                end_time=end,
                # 0xFFFFFFFF: "no byte offset", players seek by time.
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=_UTF8, text=[chapter.title])],
            )
        )
    id3.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=_UTF8, text=["Chapters"])],
        )
    )
