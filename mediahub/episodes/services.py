"""Creating and editing episodes. Callers own the transaction."""

from __future__ import annotations

import re
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediahub.accounts.models import User
from mediahub.core import text as input_text
from mediahub.core.errors import InvalidInput
from mediahub.core.extensions import db
from mediahub.core.values import finite
from mediahub.episodes.models import Episode, EpisodeType
from mediahub.episodes.transcripts import to_vtt
from mediahub.groups.models import Group
from mediahub.media import images
from mediahub.media import services as media
from mediahub.media.models import AssetState, MediaAsset
from mediahub.media.processing import request_reprocessing
from mediahub.review.editing import (
    apply_changes,
    check_version,
    clean_content_note,
    clean_text,
    clean_title,
)

DESCRIPTION_MAX = 20_000
# Recorders, phones and editors produce these; video containers often carry
# just a recording (the pipeline keeps only the audio).
EDITABLE = (
    "title",
    "description",
    "content_note",
    "episode_type",
    "season",
    "number",
    "is_explicit",
    "disguise_voice",
)
#: Changing these changes the MP3 itself (tags, pitch): it is processed again.
IN_THE_FILE = frozenset({"title", "description", "disguise_voice", "chapters"})
MAX_CHAPTERS = 100
CHAPTER_TITLE_MAX = 200
#: Season and episode numbers.
NUMBER_MAX = 9999
_STAMP_PART = re.compile(r"\d{1,6}", re.ASCII)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "title" in fields:
        out["title"] = clean_title(fields["title"])
    if "description" in fields:
        out["description"] = clean_text(fields["description"], "description", DESCRIPTION_MAX)
    if "content_note" in fields:
        out["content_note"] = clean_content_note(fields["content_note"])
    if "episode_type" in fields:
        try:
            out["episode_type"] = EpisodeType(fields["episode_type"] or EpisodeType.FULL)
        except ValueError:
            raise InvalidInput(
                _l("The episode type must be full, trailer or bonus."), field="episode_type"
            ) from None
    for key in ("season", "number"):
        if key in fields:
            value = fields[key]
            if value is not None and not (
                isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= NUMBER_MAX
            ):
                raise InvalidInput(_l("Please enter a whole number from 1 to 9999."), field=key)
            out[key] = value
    for key in ("is_explicit", "disguise_voice"):
        if key in fields:
            out[key] = bool(fields[key])
    return out


def create_episode(group: Group, author: User, fields: dict[str, Any]) -> Episode:
    """Create a draft episode in ``group``.

    Raises:
        InvalidInput: a field is missing or out of range (``field`` names it).
    """
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(_l("Unknown field: %(f)s", f=", ".join(sorted(unknown))))
    values = _clean({"title": fields.get("title"), **fields})
    episode = Episode(group=group, author=author, **values)
    db.session.add(episode)
    db.session.flush()
    return episode


def update_episode(
    episode: Episode, actor: User, fields: dict[str, Any], expected_version: int | None = None
) -> bool:
    """Change fields of an episode; returns whether anything changed.

    Raises:
        Conflict: ``expected_version`` is not the current one (stale edit).
        InvalidInput: a bad value.
    """
    check_version(episode, expected_version)
    values = _clean(fields)
    changed = {k for k, v in values.items() if getattr(episode, k) != v}
    apply_changes(episode, values, actor)
    if changed & IN_THE_FILE:
        _reprocess(episode)
    return bool(changed)


def _reprocess(episode: Episode) -> None:
    """Make the MP3 match the episode again (its previous one stays online meanwhile)."""

    if episode.audio is not None and episode.audio.status in {AssetState.READY, AssetState.FAILED}:
        request_reprocessing(episode.audio)


def parse_chapters(value: Any) -> list[dict[str, Any]]:
    """Chapters from JSON (``[{"start_s": 0, "title": "…"}]``), a Podcasting 2.0
    JSON chapters document (``{"chapters": [{"startTime": 0, "title": "…"}]}``,
    the one we serve) or "mm:ss Title" lines.

    Start times are finite numbers of seconds within the longest recording
    we take (NaN, Infinity and 1e400 are refused); titles are cleaned text.

    Raises:
        InvalidInput: a line or entry that is not a chapter, or too many.
    """
    if isinstance(value, str):
        value = [
            _chapter_line(n, line) for n, line in enumerate(value.splitlines(), 1) if line.strip()
        ]
    elif isinstance(value, dict) and isinstance(value.get("chapters"), list):
        value = [_from_document(entry) for entry in value["chapters"]]
    if not isinstance(value, list) or len(value) > MAX_CHAPTERS:
        raise InvalidInput(
            _l("Please give at most %(n)d chapters.", n=MAX_CHAPTERS), field="chapters"
        )
    chapters = [_chapter(entry) for entry in value]
    chapters.sort(key=lambda c: c["start_s"])
    if len({c["start_s"] for c in chapters}) != len(chapters):
        raise InvalidInput(_l("Two chapters start at the same time."), field="chapters")
    return chapters


def _from_document(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry
    return {"start_s": entry.get("startTime"), "title": entry.get("title")}


def _chapter(entry: Any) -> dict[str, Any]:
    """One chapter, checked: a start time and a title."""
    start = entry.get("start_s") if isinstance(entry, dict) else None
    title = entry.get("title") if isinstance(entry, dict) else None
    title = input_text.clean_text(title).strip() if isinstance(title, str) else ""
    try:
        seconds = finite(start)
    except InvalidInput:
        seconds = -1.0
    if seconds < 0 or not title or len(title) > CHAPTER_TITLE_MAX:
        raise InvalidInput(_l("Each chapter needs a start time and a title."), field="chapters")
    if seconds > current_app.config["MAX_AUDIO_SECONDS"]:
        raise InvalidInput(_l("A chapter starts after the end of the recording."), field="chapters")
    return {"start_s": seconds, "title": title}


def _chapter_line(number: int, line: str) -> dict[str, Any]:
    stamp, _, title = line.strip().partition(" ")
    parts = stamp.split(":")
    if not (2 <= len(parts) <= 3 and all(_STAMP_PART.fullmatch(p) for p in parts)):
        raise InvalidInput(
            _l('Line %(n)d: please write "mm:ss Title", e.g. "05:30 Our questions".', n=number),
            field="chapters",
        )
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return {"start_s": seconds, "title": title}


def set_chapters(episode: Episode, actor: User, value: Any) -> list[dict[str, Any]]:
    """Replace the episode's chapters; they go into the MP3 (CHAP/CTOC).

    Raises:
        InvalidInput: malformed chapters, or one that starts after the end.
    """
    chapters = parse_chapters(value)
    duration = episode.audio.duration_s if episode.audio is not None else None
    if duration and chapters and chapters[-1]["start_s"] >= duration:
        raise InvalidInput(_l("A chapter starts after the end of the recording."), field="chapters")
    if chapters != (episode.chapters or []):
        apply_changes(episode, {"chapters": chapters or None}, actor)
        _reprocess(episode)
    return chapters


def set_transcript(episode: Episode, actor: User, data: bytes) -> str:
    """Replace the episode's transcript with an uploaded WebVTT or SRT file.

    Returns the stored WebVTT text.

    Raises:
        InvalidInput: not a subtitle file, not UTF-8, empty or too large
            (``field`` is ``file``).
    """
    vtt = to_vtt(data)
    apply_changes(episode, {"transcript_vtt": vtt}, actor)
    return vtt


def clear_transcript(episode: Episode, actor: User) -> bool:
    """Remove the episode's transcript; returns whether there was one."""
    return apply_changes(episode, {"transcript_vtt": None}, actor)


def attach_audio(
    episode: Episode,
    upload: BinaryIO,
    *,
    uploader: User,
    content_type: str | None = None,
) -> Any:
    """Store the uploaded audio as the episode's original and queue processing.

    What the file is gets decided by its content, never by its name or the
    browser's content type: a quick look at the stored file refuses what is
    clearly not a recording at once; the worker decides the rest.

    Raises:
        InvalidInput: not audio, empty or too large (``field`` is ``file``).
    """

    asset = media.store_upload(
        upload, kind=media.AssetKind.EPISODE_AUDIO, uploader=uploader, content_type=content_type
    )
    media.check_is_audio(asset)
    episode.audio = asset
    db.session.flush()
    media.queue_processing(asset)
    return asset


def set_image(episode: Episode, actor: User, upload: BinaryIO) -> Any:
    """Store episode artwork: checked by content, square, cleaned of metadata.
    It goes into the MP3's tags too, so the audio is processed again.

    Raises:
        InvalidInput: not a readable JPEG, PNG or WebP image (``field`` is ``file``).
    """

    asset = images.store_cover(upload, uploader=actor)
    apply_changes(episode, {"image": asset}, actor)
    _reprocess(episode)
    return asset


def chapter_lines(chapters: list[dict[str, Any]] | None) -> str:
    """Chapters as the "mm:ss Title" lines people type (hours when needed)."""
    lines = []
    for chapter in chapters or []:
        total = int(chapter["start_s"])
        hours, rest = divmod(total, 3600)
        stamp = (
            f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
            if hours
            else f"{rest // 60:02d}:{rest % 60:02d}"
        )
        lines.append(f"{stamp} {chapter['title']}")
    return "\n".join(lines)


def episode_of_audio(asset: MediaAsset) -> Episode | None:
    """The episode whose audio ``asset`` is (for the processing pipeline)."""
    return db.session.scalar(select(Episode).where(Episode.audio_asset_id == asset.id))
