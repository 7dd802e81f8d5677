"""API schemas of the review workflow: decisions, the audit trail, the queue."""

from __future__ import annotations

from marshmallow import Schema, validate

from mediahub.api import fields
from mediahub.review.services import MAX_COMMENT
from mediahub.review.workflow import ReviewAction


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
