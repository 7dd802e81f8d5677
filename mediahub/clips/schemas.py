"""API schemas of clips."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema

from mediahub.api import fields
from mediahub.api.schemas import everybody, shown_to
from mediahub.clips.layout import ClipShape
from mediahub.clips.models import MAX_SECONDS, MIN_SECONDS, Clip, RenderState
from mediahub.core.audience import Audience
from mediahub.core.urls import absolute_url
from mediahub.media.messages import translated
from mediahub.review.editing import CONTENT_NOTE_MAX, TITLE_MAX
from mediahub.review.schemas import ItemSchema

_START = "where the passage starts, in seconds from the episode's start (≥ 0)"
_LENGTH = f"the passage's length in seconds ({MIN_SECONDS:g} to {MAX_SECONDS:g})"


class ClipCreateSchema(Schema):
    title = fields.Str(required=True, max_length=TITLE_MAX)
    start_s = fields.Float(required=True, metadata={"description": _START})
    duration_s = fields.Float(required=True, metadata={"description": _LENGTH})
    content_note = fields.Str(
        max_length=CONTENT_NOTE_MAX,
        metadata={"description": "shown as the videos' first frame; the episode's by default"},
    )


class ClipUpdateSchema(Schema):
    title = fields.Str(max_length=TITLE_MAX)
    start_s = fields.Float(metadata={"description": _START})
    duration_s = fields.Float(metadata={"description": _LENGTH})
    content_note = fields.Str(max_length=CONTENT_NOTE_MAX)
    version = fields.Int(metadata={"description": "the version you edited; a stale one gets 409"})


def _videos(clip: Clip) -> list[dict[str, Any]]:
    ready = clip.render_state == RenderState.READY
    out = []
    for shape in ClipShape:
        row = clip.rendition(shape)
        width, height = shape.size
        out.append(
            {
                "shape": shape.value,
                "width": width,
                "height": height,
                "progress": row.progress if row else 0.0,
                "size_bytes": row.size_bytes if row and ready else None,
                "url": absolute_url("clips.download", item_id=clip.id, shape=shape.value)
                if ready
                else None,
            }
        )
    return out


class ClipSchema(ItemSchema):
    """A clip as the caller may see it (see ``EpisodeSchema``)."""

    episode_id = fields.Int(metadata=everybody())
    start_s = fields.Float(metadata=everybody(_START))
    duration_s = fields.Float(metadata=everybody(_LENGTH))
    content_note = fields.Str(metadata=everybody("the videos' first frame"))
    render_state = fields.Function(
        lambda c: c.render_state.value if c.render_state else None,
        allow_none=True,
        metadata=everybody("waiting, rendering, ready or failed; null before approval"),
    )
    render_error = fields.Function(
        lambda c: translated(c.render_error) if c.render_error else None,
        allow_none=True,
        metadata=shown_to(Audience.AUTHOR, "why the videos could not be made, translated"),
    )
    videos = fields.Function(
        _videos,
        metadata=everybody(
            "the three shapes (square, vertical, landscape): progress while rendering, "
            "download url and size once ready"
        ),
    )
