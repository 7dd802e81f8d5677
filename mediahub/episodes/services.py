"""Creating and editing episodes. Callers own the transaction."""

from __future__ import annotations

from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..errors import InvalidInput
from ..extensions import db
from ..groups.models import Group
from ..review.editing import apply_changes, check_version, clean_text, clean_title
from .models import Episode, EpisodeType

DESCRIPTION_MAX = 20_000
# Recorders, phones and editors produce these; video containers often carry
# just a recording (the pipeline keeps only the audio).
EDITABLE = ("title", "description", "episode_type", "season", "number", "is_explicit")


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "title" in fields:
        out["title"] = clean_title(fields["title"])
    if "description" in fields:
        out["description"] = clean_text(fields["description"], "description", DESCRIPTION_MAX)
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
            if value is not None and not (isinstance(value, int) and 1 <= value <= 9999):
                raise InvalidInput(_l("Please enter a whole number from 1 to 9999."), field=key)
            out[key] = value
    if "is_explicit" in fields:
        out["is_explicit"] = bool(fields["is_explicit"])
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
    return apply_changes(episode, _clean(fields), actor)


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
    from ..media import services as media

    asset = media.store_upload(
        upload, kind=media.AssetKind.EPISODE_AUDIO, uploader=uploader, content_type=content_type
    )
    media.check_is_audio(asset)
    episode.audio = asset
    db.session.flush()
    media.queue_processing(asset)
    return asset
