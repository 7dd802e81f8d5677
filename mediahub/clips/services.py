"""Marking passages of episodes as clips, and editing them. Callers own the
transaction; rendering is in :mod:`mediahub.clips.rendering`."""

from __future__ import annotations

import math
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediahub.accounts.models import User
from mediahub.clips.models import MAX_SECONDS, MIN_SECONDS, Clip
from mediahub.core.errors import Conflict, InvalidInput
from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.groups.models import Group
from mediahub.review.editing import apply_changes, check_version, clean_content_note, clean_title
from mediahub.review.workflow import ItemState

EDITABLE = ("title", "content_note", "start_s", "duration_s")
#: Episodes that may have clips: published, or approved for later.
CLIPPABLE = (ItemState.PUBLISHED, ItemState.SCHEDULED)


def episode_length(episode: Episode) -> float | None:
    audio = episode.audio
    return audio.duration_s if audio is not None and audio.is_ready else None


def _seconds(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(_l("Please give a time in seconds."), field=field)
    return round(float(value), 2)


def check_passage(episode: Episode, start_s: Any, duration_s: Any) -> tuple[float, float]:
    """The passage as numbers, if it is one of this episode.

    Raises:
        InvalidInput: not numbers, too short or long, or outside the recording.
    """
    start, length = _seconds(start_s, "start_s"), _seconds(duration_s, "duration_s")
    if not MIN_SECONDS <= length <= MAX_SECONDS:
        raise InvalidInput(
            _l(
                "A clip is between %(min)d and %(max)d seconds long.",
                min=MIN_SECONDS,
                max=MAX_SECONDS,
            ),
            field="duration_s",
        )
    total = episode_length(episode)
    if start < 0 or (total is not None and start + length > total + 0.05):
        raise InvalidInput(
            _l("The passage must lie within the recording (%(n)d seconds long).", n=total or 0),
            field="start_s",
        )
    return start, length


def check_clippable(episode: Episode) -> None:
    """Raise unless clips can be made of ``episode`` (published or approved, audio ready)."""
    if episode.status not in CLIPPABLE or episode_length(episode) is None:
        raise Conflict(
            _l("Clips can be made of published or approved episodes only."), code="not_clippable"
        )


def _clean(episode: Episode, fields: dict[str, Any], current: Clip | None) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(_l("Unknown field: %(f)s", f=", ".join(sorted(unknown))))
    out: dict[str, Any] = {}
    if "title" in fields:
        out["title"] = clean_title(fields["title"])
    if "content_note" in fields:
        out["content_note"] = clean_content_note(fields["content_note"])
    if "start_s" in fields or "duration_s" in fields:
        start = fields.get("start_s", current.start_s if current else None)
        length = fields.get("duration_s", current.duration_s if current else None)
        out["start_s"], out["duration_s"] = check_passage(episode, start, length)
    return out


def create_clip(episode: Episode, author: User, fields: dict[str, Any]) -> Clip:
    """A draft clip of ``episode``; the content note is the episode's unless given."""
    check_clippable(episode)
    values = _clean(episode, {"title": None, "start_s": None, "duration_s": None, **fields}, None)
    values.setdefault("content_note", episode.content_note)
    clip = Clip(episode=episode, group=episode.group, author=author, **values)
    db.session.add(clip)
    db.session.flush()
    return clip


def update_clip(
    clip: Clip, actor: User, fields: dict[str, Any], expected_version: int | None = None
) -> bool:
    check_version(clip, expected_version)
    return apply_changes(clip, _clean(clip.episode, fields, clip), actor)


def public_clips(episode: Episode) -> list[Clip]:
    """The episode's published clips, in the order of the passages."""
    return list(
        db.session.scalars(
            select(Clip)
            .where(Clip.episode_id == episode.id, Clip.status == ItemState.PUBLISHED)
            .order_by(Clip.start_s, Clip.id)
        )
    )


def clips_of(group: Group) -> dict[int, list[Clip]]:
    """Published clips of a group's episodes (for its feed), by episode id.
    Found through the episodes' group: a list of 500 episode ids made the
    statement cost more to send and plan than to run."""
    out: dict[int, list[Clip]] = {}
    rows = db.session.scalars(
        select(Clip)
        .join(Episode, Clip.episode_id == Episode.id)
        .where(Episode.group_id == group.id, Clip.status == ItemState.PUBLISHED)
        .order_by(Clip.start_s, Clip.id)
    )
    for clip in rows:
        out.setdefault(clip.episode_id, []).append(clip)
    return out
