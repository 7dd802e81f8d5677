"""Workflow endpoints shared by episodes and posts, and the review queue."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, validate

from mediahub.api import fields
from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.core.errors import require
from mediahub.core.extensions import db
from mediahub.review import policy, services
from mediahub.review.policy import actions_for
from mediahub.review.services import MAX_COMMENT, load_item
from mediahub.review.workflow import ReviewAction

# Shared with the episodes and posts APIs.
__all__ = ["actions_for", "load_item", "register_workflow_routes", "require"]


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


def register_workflow_routes(blp: Blueprint, cls: Any, collection: str, item_schema: Any) -> None:
    """Add submit, review, unpublish and history endpoints for ``cls`` to ``blp``."""
    noun = cls.item_type

    @blp.route(f"/{collection}/<int:item_id>/submit", methods=["POST"], endpoint=f"submit_{noun}")
    @blp.response(200, item_schema)
    def submit(item_id: int) -> Any:
        """Send the item to the group's editors (→ in_review)."""
        user = require_user()
        item = load_item(cls, item_id, user)
        require(policy.can_submit(user, item))
        services.submit(item, user)
        db.session.commit()
        return item

    @blp.route(f"/{collection}/<int:item_id>/review", methods=["POST"], endpoint=f"review_{noun}")
    @blp.arguments(DecisionSchema)
    @blp.response(200, item_schema)
    def review(args: dict[str, Any], item_id: int) -> Any:
        """An editor's decision: approve (now or at publish_at), request changes, reject."""
        user = require_user()
        item = load_item(cls, item_id, user)
        require(policy.can_review(user, item))
        services.decide(
            item, user, args["decision"], comment=args["comment"], publish_at=args["publish_at"]
        )
        db.session.commit()
        return item

    @blp.route(
        f"/{collection}/<int:item_id>/unpublish", methods=["POST"], endpoint=f"unpublish_{noun}"
    )
    @blp.arguments(CommentSchema)
    @blp.response(200, item_schema)
    def unpublish(args: dict[str, Any], item_id: int) -> Any:
        """Take a published or scheduled item offline (→ archived)."""
        user = require_user()
        item = load_item(cls, item_id, user)
        require(policy.can_unpublish(user, item))
        services.unpublish(item, user, comment=args["comment"])
        db.session.commit()
        return item

    @blp.route(f"/{collection}/<int:item_id>/history", endpoint=f"history_{noun}")
    @blp.response(200, EventSchema(many=True))
    def history(item_id: int) -> Any:
        """The audit trail: every transition with who, when and the comment."""
        user = require_user()
        item = load_item(cls, item_id, user)
        require(policy.can_see_history(user, item))
        return services.history(item)


queue_blp = api_blueprint("review_api", __name__, "The editors' review queue")


class QueueEntrySchema(Schema):
    type = fields.Function(lambda i: i.item_type)
    id = fields.Int()
    title = fields.Str()
    group = fields.Function(lambda i: i.group.slug)
    author = fields.Function(lambda i: i.author.display_name if i.author else None)
    submitted_at = fields.AwareDateTime(allow_none=True)
    status = fields.Str()


@queue_blp.route("/review-queue")
@queue_blp.response(200, QueueEntrySchema(many=True))
def get_review_queue() -> Any:
    """Episodes and posts in review that the caller may decide on."""
    return services.review_queue(require_user())
