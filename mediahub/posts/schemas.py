"""API schemas of blog posts."""

from __future__ import annotations

from marshmallow import Schema

from mediahub.api import fields
from mediahub.api.schemas import everybody
from mediahub.posts.services import BODY_MAX
from mediahub.review.editing import CONTENT_NOTE_MAX, TITLE_MAX
from mediahub.review.schemas import ItemSchema


class PostCreateSchema(Schema):
    title = fields.Str(required=True, max_length=TITLE_MAX)
    content_note = fields.Str(
        max_length=CONTENT_NOTE_MAX,
        metadata={"description": 'shown before the text, e.g. "Thema: Sucht"; "" for none'},
    )
    body = fields.Str(load_default="", max_length=BODY_MAX, metadata={"description": "Markdown"})


class PostUpdateSchema(Schema):
    title = fields.Str(max_length=TITLE_MAX)
    content_note = fields.Str(
        max_length=CONTENT_NOTE_MAX,
        metadata={"description": 'shown before the text, e.g. "Thema: Sucht"; "" for none'},
    )
    body = fields.Str(max_length=BODY_MAX, metadata={"description": "Markdown"})
    version = fields.Int(metadata={"description": "the version you edited; a stale one gets 409"})


class PostSchema(ItemSchema):
    """A post as the caller may see it (see ``EpisodeSchema``)."""

    content_note = fields.Str(metadata=everybody("shown before the text"))
    body = fields.Str(metadata=everybody("Markdown"))
