"""Episodes as a reviewable item kind: what the review workflow needs to know."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from mediahub.core.errors import Conflict
from mediahub.episodes.models import Episode
from mediahub.episodes.transcripts import clock, readable_cues, transcript_lines
from mediahub.media.artwork import cover_url
from mediahub.media.models import AssetState
from mediahub.review.kinds import BASE_COMPARED, ItemKind, Reviewable


def _has_audio(item: Reviewable) -> None:
    if getattr(item, "audio", None) is None:
        raise Conflict(
            _l("Please add the audio before sending the episode to review."), code="audio_missing"
        )


def _audio_ready(item: Reviewable) -> None:
    audio: Any = getattr(item, "audio", None)
    if audio is None or audio.status != AssetState.READY:
        raise Conflict(
            _l("The audio is not ready yet; it can be approved once processing has finished."),
            code="audio_not_ready",
        )
    if audio.tags_pending:
        # Listeners must never get a file with details an editor just changed.
        raise Conflict(
            _l(
                "The changed details are being written into the recording; this takes a few "
                "seconds. Please try again in a moment."
            ),
            code="audio_updating",
        )


def _snapshot(item: Reviewable) -> dict[str, str]:
    """What an editor reads and hears about, as texts to compare."""
    episode: Any = item
    return {
        "title": episode.title or "",
        "content_note": episode.content_note or "",
        "description": episode.description or "",
        "chapters": "\n".join(
            f"{clock(ch['start_s'])} {ch['title']}" for ch in episode.chapters or ()
        ),
        "transcript": transcript_lines(episode.transcript_vtt),
    }


def _context(item: Reviewable) -> dict[str, Any]:
    """The transcript and the artwork, as listeners will get them."""
    episode: Any = item
    if episode.image is not None and episode.image.is_ready:
        artwork = url_for("media.episode_image", guid=episode.guid, asset_id=episode.image.id)
    else:
        artwork = cover_url(episode.group, url_for)
    return {
        "transcript": readable_cues(episode.transcript_vtt),
        "artwork_url": artwork,
        "artwork_is_own": episode.image is not None,
    }


EPISODE = ItemKind(
    name=Episode.item_type,
    model=Episode,
    collection="episodes",
    public_endpoint="site.episode_page",
    edit_endpoint="episodes.edit_episode",
    messages={
        "submitted": _l("Thank you! The episode is now with the editors."),
        "deleted": _l("The episode has been deleted."),
        "unpublished": _l("The episode is offline now."),
        "withdrawn": _l(
            "You took the episode back. It is a draft again: change it and send it again."
        ),
        "label": _l("Episode"),
    },
    check_submittable=_has_audio,
    check_approvable=_audio_ready,
    extra_context=_context,
    snapshot=_snapshot,
    compared=(
        *BASE_COMPARED,
        ("description", _l("Show notes")),
        ("chapters", _l("Chapters")),
        ("transcript", _l("Transcript")),
    ),
)
