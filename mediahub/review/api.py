"""The review workflow in the JSON API: the editors' queue, and the steps
every kind's API offers at its own addresses.

OpenAPI describes one answer schema per kind, so each kind's API module
declares its workflow routes as named functions (``submit_episode``…) that
call the steps here with its kind.
"""

from __future__ import annotations

from typing import Any

from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.core.errors import require
from mediahub.review import policy, services
from mediahub.review.kinds import ItemKind, Reviewable
from mediahub.review.models import ReviewEvent
from mediahub.review.schemas import QueueEntrySchema

queue_blp = api_blueprint("review_api", __name__, "The editors' review queue")


@queue_blp.route("/review-queue")
@queue_blp.response(200, QueueEntrySchema(many=True))
def get_review_queue() -> Any:
    """Episodes and posts in review that the caller may decide on."""
    return services.review_queue(require_user())


def submit(kind: ItemKind, item_id: int) -> Reviewable:
    """Send the item to the group's editors (→ in_review)."""
    user = require_user()
    item: Reviewable = services.load_item(kind.model, item_id, user)
    require(policy.can_submit(user, item))
    services.submit(item, user)
    return item


def withdraw(kind: ItemKind, item_id: int) -> Reviewable:
    """The author takes the item back from the editors (→ draft) to change it."""
    user = require_user()
    item: Reviewable = services.load_item(kind.model, item_id, user)
    require(policy.can_withdraw(user, item))
    services.withdraw(item, user)
    return item


def review(kind: ItemKind, args: dict[str, Any], item_id: int) -> Reviewable:
    """An editor's decision: approve (now or at publish_at), request changes, reject."""
    user = require_user()
    item: Reviewable = services.load_item(kind.model, item_id, user)
    require(policy.can_review(user, item))
    services.decide(
        item, user, args["decision"], comment=args["comment"], publish_at=args["publish_at"]
    )
    return item


def unpublish(kind: ItemKind, args: dict[str, Any], item_id: int) -> Reviewable:
    """Take a published or scheduled item offline (→ archived)."""
    user = require_user()
    item: Reviewable = services.load_item(kind.model, item_id, user)
    require(policy.can_unpublish(user, item))
    services.unpublish(item, user, comment=args["comment"])
    return item


def history(kind: ItemKind, item_id: int) -> list[ReviewEvent]:
    """The audit trail: every transition with who, when and the comment."""
    user = require_user()
    item: Reviewable = services.load_item(kind.model, item_id, user)
    require(policy.can_see_history(user, item))
    return services.history(item)
