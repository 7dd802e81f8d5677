"""Creating and changing reviewable items: the rules episodes and posts share."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.core import signals
from mediahub.core.db import apply_changes as db_changes
from mediahub.core.errors import Conflict, InvalidInput
from mediahub.review.kinds import Reviewable

TITLE_MAX = 200
CONTENT_NOTE_MAX = 200


def clean_title(title: str | None) -> str:
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_l("Please enter a title."), field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            _l("The title is too long (at most %(n)d characters).", n=TITLE_MAX), field="title"
        )
    return title


def clean_text(value: str | None, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInput(
            _l("This text is too long (at most %(n)d characters).", n=limit), field=field
        )
    return value


def clean_content_note(value: str | None) -> str:
    """A short note shown before the audio or text ("Thema: Suizid, Sucht"):
    one line, at most 200 characters; empty means none."""
    note = " ".join((value or "").split())
    if len(note) > CONTENT_NOTE_MAX:
        raise InvalidInput(
            _l("The content note is too long (at most %(n)d characters).", n=CONTENT_NOTE_MAX),
            field="content_note",
        )
    return note


def check_version(item: Reviewable, expected: int | None) -> None:
    """Refuse an edit that was made on an older version of the item."""
    if expected is not None and expected != item.version:
        raise Conflict(
            _l(
                "Someone else changed this in the meantime. Please reload it and make your "
                "changes again."
            ),
            code="stale",
        )


def apply_changes(item: Reviewable, changes: dict[str, Any], actor: Any) -> bool:
    """Set the changed fields, flush, and say whether anything changed."""
    return db_changes(item, changes, signal=signals.item_changed, actor=actor)
