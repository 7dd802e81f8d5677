"""Workflow endpoints shared by episodes and posts, and the review queue."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.core.errors import require
from mediahub.core.extensions import db
from mediahub.review import policy, services
from mediahub.review.policy import actions_for
from mediahub.review.schemas import CommentSchema, DecisionSchema, EventSchema, QueueEntrySchema
from mediahub.review.services import load_item

# Shared with the episodes and posts APIs.
__all__ = ["actions_for", "load_item", "register_workflow_routes", "require"]


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


@queue_blp.route("/review-queue")
@queue_blp.response(200, QueueEntrySchema(many=True))
def get_review_queue() -> Any:
    """Episodes and posts in review that the caller may decide on."""
    return services.review_queue(require_user())
