"""API schemas of blog posts."""

from __future__ import annotations

from marshmallow import Schema

from mediahub.api import fields
from mediahub.api.schemas import AudienceSchema, everybody, shown_to, viewer
from mediahub.core.audience import Audience
from mediahub.core.urls import absolute_url
from mediahub.posts.models import Post
from mediahub.posts.services import BODY_MAX
from mediahub.review import services as review
from mediahub.review.editing import CONTENT_NOTE_MAX, TITLE_MAX
from mediahub.review.policy import actions_for, author_name, item_audience


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


class PostSchema(AudienceSchema):
    """A post as the caller may see it (see ``EpisodeSchema``)."""

    id = fields.Int(metadata=everybody())
    guid = fields.Str(metadata=everybody())
    group = fields.Function(lambda p: p.group.slug, metadata=everybody())
    title = fields.Str(metadata=everybody())
    content_note = fields.Str(metadata=everybody("shown before the text"))
    body = fields.Str(metadata=everybody("Markdown"))
    status = fields.Str(metadata=everybody())
    version = fields.Int(
        metadata=shown_to(Audience.AUTHOR, "send it with an edit; a stale one gets 409")
    )
    author = fields.Method(
        "_author",
        allow_none=True,
        metadata=everybody(
            "the author's display name for the author and the group's editors; for "
            "everybody else only when the author chose to be named, else null"
        ),
    )
    publish_at = fields.AwareDateTime(
        allow_none=True, metadata=shown_to(Audience.AUTHOR, "when a scheduled item goes online")
    )
    published_at = fields.AwareDateTime(allow_none=True, metadata=everybody())
    created_at = fields.AwareDateTime(metadata=shown_to(Audience.AUTHOR))
    updated_at = fields.AwareDateTime(metadata=everybody())
    page_url = fields.Function(
        lambda p: absolute_url("site.post_page", slug=p.group.slug, item_id=p.id),
        metadata=everybody(),
    )
    review_comment = fields.Method(
        "_comment",
        allow_none=True,
        metadata=shown_to(Audience.AUTHOR, "the comment of the editors' last decision"),
    )
    actions = fields.Function(
        lambda p: actions_for(viewer(), p), metadata=everybody("what the caller may do now")
    )

    def audience_of(self, post: Post) -> Audience:
        return item_audience(viewer(), post)

    def _author(self, post: Post) -> str | None:
        return author_name(viewer(), post)

    def _comment(self, post: Post) -> str | None:
        event = review.latest_decision(post)
        return event.comment if event and event.comment else None
