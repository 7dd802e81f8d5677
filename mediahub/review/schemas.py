"""API schemas of the review workflow: decisions, the audit trail, the queue."""

from __future__ import annotations

from marshmallow import Schema, validate

from mediahub.api import fields
from mediahub.api.schemas import AudienceSchema, everybody, shown_to, viewer
from mediahub.core.audience import Audience
from mediahub.core.urls import absolute_url
from mediahub.review import services
from mediahub.review.kinds import Reviewable, kind_of
from mediahub.review.policy import actions_for, author_name, item_audience
from mediahub.review.services import MAX_COMMENT
from mediahub.review.workflow import ReviewAction


def _page_url(item: Reviewable) -> str:
    return absolute_url(kind_of(item).public_endpoint, slug=item.group.slug, item_id=item.id)


class ItemSchema(AudienceSchema):
    """What every reviewable item shows in the API, as the caller may see it:
    who wrote it, the editors' comment and the version to edit only for those
    who work on it (``Audience``). Each kind's schema adds its own fields."""

    id = fields.Int(metadata=everybody())
    guid = fields.Str(metadata=everybody())
    group = fields.Function(lambda i: i.group.slug, metadata=everybody())
    title = fields.Str(metadata=everybody())
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
    page_url = fields.Function(_page_url, metadata=everybody())
    review_comment = fields.Method(
        "_comment",
        allow_none=True,
        metadata=shown_to(Audience.AUTHOR, "the comment of the editors' last decision"),
    )
    actions = fields.Function(
        lambda i: actions_for(viewer(), i), metadata=everybody("what the caller may do now")
    )

    def audience_of(self, item: Reviewable) -> Audience:
        return item_audience(viewer(), item)

    def _author(self, item: Reviewable) -> str | None:
        return author_name(viewer(), item)

    def _comment(self, item: Reviewable) -> str | None:
        event = services.latest_decision(item)
        return event.comment if event and event.comment else None


class DecisionSchema(Schema):
    decision = fields.Str(
        required=True,
        max_length=32,
        validate=validate.OneOf(
            [ReviewAction.APPROVE, ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT]
        ),
        metadata={"description": "approve, request_changes or reject"},
    )
    comment = fields.Str(
        load_default="", max_length=MAX_COMMENT, metadata={"description": "shown to the author"}
    )
    publish_at = fields.AwareDateTime(
        load_default=None,
        allow_none=True,
        metadata={"description": "ISO 8601 with offset; in the future → scheduled"},
    )


class CommentSchema(Schema):
    comment = fields.Str(load_default="", max_length=MAX_COMMENT)


class EventSchema(Schema):
    action = fields.Str()
    from_state = fields.Str()
    to_state = fields.Str(allow_none=True)
    comment = fields.Str()
    publish_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    actor = fields.Function(lambda e: e.actor.display_name if e.actor else None)
    is_self_review = fields.Bool()


class QueueEntrySchema(Schema):
    type = fields.Function(lambda i: i.item_type)
    id = fields.Int()
    title = fields.Str()
    group = fields.Function(lambda i: i.group.slug)
    author = fields.Function(lambda i: i.author.display_name if i.author else None)
    submitted_at = fields.AwareDateTime(allow_none=True)
    status = fields.Str()
