"""Creating and editing episodes. Callers own the transaction."""

from __future__ import annotations

from typing import Any, BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediahub.accounts.models import User
from mediahub.core import signals
from mediahub.core.errors import InvalidInput
from mediahub.core.extensions import db
from mediahub.episodes import chapters as chapters_module
from mediahub.episodes.models import Episode, EpisodeType
from mediahub.episodes.transcripts import to_vtt
from mediahub.groups.models import Group
from mediahub.groups.services import clean_language
from mediahub.media import images
from mediahub.media import services as media
from mediahub.media.models import AssetState, MediaAsset
from mediahub.media.processing import request_reprocessing
from mediahub.media.retagging import request_retag
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
    "language",
)
#: Changing these changes the sound: the MP3 is encoded again.
IN_THE_SOUND = frozenset({"disguise_voice"})
#: Changing these changes only the MP3's ID3 tags: they are rewritten, the
#: audio frames stay as they are (``media/retagging.py``).
IN_THE_TAGS = frozenset({"title", "description", "chapters", "image"})
CHAPTER_TITLE_MAX = chapters_module.TITLE_MAX
#: Season and episode numbers.
NUMBER_MAX = 9999


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
    if "language" in fields:
        # Empty: the group's language (automatic transcripts listen for it).
        out["language"] = clean_language(fields["language"]) if fields["language"] else None
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
    _update_file(episode, changed)
    return bool(changed)


def _update_file(episode: Episode, changed: set[str]) -> None:
    """Make the MP3 match the episode again: a new encode for a change of the
    sound, a tag rewrite for a change of what its tags show. The previous MP3
    stays online until the new one is stored."""
    audio = episode.audio
    if audio is None:
        return
    if changed & IN_THE_SOUND:
        if audio.status in {AssetState.READY, AssetState.FAILED}:
            request_reprocessing(audio)
    elif changed & IN_THE_TAGS:
        request_retag(audio)


def parse_chapters(value: Any) -> list[dict[str, Any]]:
    """Chapters from "mm:ss Title" lines, a Podcasting 2.0 JSON chapters
    document (as tools export it and as we serve it) or a list; see
    :mod:`mediahub.episodes.chapters`.

    Raises:
        InvalidInput: a line or entry that is not a chapter, or too many.
    """
    return chapters_module.parse_chapters(
        value, max_seconds=float(current_app.config["MAX_AUDIO_SECONDS"])
    )


def set_chapters(episode: Episode, actor: User, value: Any) -> list[dict[str, Any]]:
    """Replace the episode's chapters; they go into the MP3's tags (CHAP/CTOC).

    Lines typed in the form say less than a chapters document (no links,
    pictures, end times, hidden chapters): a chapter typed as it was keeps
    what it had, and hidden chapters stay.

    Raises:
        InvalidInput: malformed chapters, or one that starts after the end.
    """
    chapters = parse_chapters(value)
    if isinstance(value, str):
        chapters = chapters_module.keep_extras(episode.chapters, chapters)
    duration = episode.audio.duration_s if episode.audio is not None else None
    if duration and chapters and chapters[-1]["start_s"] >= duration:
        raise InvalidInput(_l("A chapter starts after the end of the recording."), field="chapters")
    if chapters != (episode.chapters or []):
        apply_changes(episode, {"chapters": chapters or None}, actor)
        _update_file(episode, {"chapters"})
    return chapters


def set_transcript(episode: Episode, actor: User, data: bytes) -> str:
    """Replace the episode's transcript with an uploaded WebVTT or SRT file.

    Returns the stored WebVTT text.

    Raises:
        InvalidInput: not a subtitle file, not UTF-8, empty or too large
            (``field`` is ``file``).
    """
    vtt = to_vtt(data)
    # A person's file always wins over an automatic transcript.
    apply_changes(episode, {"transcript_vtt": vtt, "transcript_origin": "upload"}, actor)
    return vtt


def clear_transcript(episode: Episode, actor: User) -> bool:
    """Remove the episode's transcript (an automatic one's working copy too,
    by the transcripts feature's receiver); returns whether there was one."""
    changed = apply_changes(episode, {"transcript_vtt": None, "transcript_origin": None}, actor)
    signals.transcript_removed.send(episode, actor=actor)
    return changed


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
    It goes into the MP3's tags too, which are rewritten.

    Raises:
        InvalidInput: not a readable JPEG, PNG or WebP image (``field`` is ``file``).
    """

    previous = episode.image
    asset = images.store_cover(upload, uploader=actor)
    apply_changes(episode, {"image": asset}, actor)
    media.discard(previous)  # its files go once the new picture is committed
    _update_file(episode, {"image"})
    return asset


def chapter_lines(chapters: list[dict[str, Any]] | None) -> str:
    """Chapters as the "mm:ss Title" lines people type (hours when needed)."""
    return chapters_module.chapter_lines(chapters)


def episode_of_audio(asset: MediaAsset) -> Episode | None:
    """The episode whose audio ``asset`` is (for the processing pipeline)."""
    return db.session.scalar(select(Episode).where(Episode.audio_asset_id == asset.id))
