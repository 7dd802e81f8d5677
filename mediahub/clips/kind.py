"""Clips as a reviewable item kind: what the review workflow needs to know."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.clips.forms import format_time
from mediahub.clips.layout import ClipShape
from mediahub.clips.models import Clip
from mediahub.clips.services import check_clippable, check_passage
from mediahub.review.kinds import BASE_COMPARED, ItemKind, Reviewable


def _passage_still_fits(item: Reviewable) -> None:
    """The episode is still online (or approved) and the passage inside it."""
    clip: Any = item
    check_clippable(clip.episode)
    check_passage(clip.episode, clip.start_s, clip.duration_s)


def _snapshot(item: Reviewable) -> dict[str, str]:
    clip: Any = item
    passage = f"{format_time(clip.start_s)} + {clip.duration_s:g} s"
    return {"title": clip.title or "", "content_note": clip.content_note or "", "passage": passage}


def _context(item: Reviewable) -> dict[str, Any]:
    clip: Any = item
    return {"clip": clip, "episode": clip.episode, "shapes": list(ClipShape)}


CLIP = ItemKind(
    name=Clip.item_type,
    model=Clip,
    collection="clips",
    public_endpoint="clips.public_clip",
    edit_endpoint="clips.edit_clip",
    messages={
        "submitted": _l("Thank you! The clip is now with the editors."),
        "deleted": _l("The clip has been deleted."),
        "unpublished": _l("The clip is offline now."),
        "withdrawn": _l(
            "You took the clip back. It is a draft again: change it and send it again."
        ),
        "label": _l("Clip"),
    },
    check_submittable=_passage_still_fits,
    check_approvable=_passage_still_fits,
    extra_context=_context,
    snapshot=_snapshot,
    compared=(*BASE_COMPARED, ("passage", _l("Passage"))),
)
