"""JSON API for the secret feed addresses of private groups."""

from __future__ import annotations

from typing import Any

from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.feeds.schemas import FeedTokenCreatedSchema, FeedTokenCreateSchema, FeedTokenSchema
from mediahub.groups import feed_tokens as tokens
from mediahub.groups.services import load_group

blp = api_blueprint("feeds_api", __name__, "Secret feed addresses of private groups")


@blp.route("/groups/<slug>/feed-tokens")
@blp.response(200, FeedTokenSchema(many=True))
def list_feed_tokens(slug: str) -> Any:
    """The group's listener addresses, without their secrets (managers)."""
    user = require_user()
    return tokens.list_tokens(load_group(slug, user), user)


@blp.route("/groups/<slug>/feed-tokens", methods=["POST"])
@blp.arguments(FeedTokenCreateSchema)
@blp.response(201, FeedTokenCreatedSchema)
def create_feed_token(args: dict[str, Any], slug: str) -> Any:
    """Make a secret feed address for one listener of a private group (managers).

    The answer's ``url`` is the only time the address is shown.
    """
    user = require_user()
    row, url = tokens.create_token(load_group(slug, user), user, label=args["label"])
    return {
        "id": row.id,
        "label": row.label,
        "created_at": row.created_at,
        "last_used_on": None,
        "url": url,
    }


@blp.route("/groups/<slug>/feed-tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
def revoke_feed_token(slug: str, token_id: int) -> None:
    """Revoke an address: it answers 404 from the next request on."""
    user = require_user()
    row = tokens.load_token(load_group(slug, user), token_id, user)
    tokens.revoke_token(row)
