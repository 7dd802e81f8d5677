"""JSON API of a group's fediverse presence and its replies."""

from __future__ import annotations

from typing import Any

from flask import abort

from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.core.errors import require
from mediahub.core.extensions import db
from mediahub.fediverse import policy, publishing, services
from mediahub.fediverse.models import Block, BlockKind, RemoteReply
from mediahub.fediverse.schemas import (
    BlockSchema,
    PresenceSchema,
    PresenceUpdateSchema,
    ReplyDecisionSchema,
    ReplySchema,
)
from mediahub.groups.api import load_group

blp = api_blueprint("fediverse_api", __name__, "Fediverse")


def _presence(group: Any) -> dict[str, Any]:
    actor = services.presence(group)
    return {
        "group": group,
        "enabled": actor is not None,
        "replies": bool(actor and actor.has_replies),
        "address": services.address(group) if actor else None,
        "followers": services.follower_count(actor) if actor else 0,
    }


@blp.route("/groups/<slug>/fediverse")
@blp.response(200, PresenceSchema)
def get_presence(slug: str) -> Any:
    """The group's fediverse presence (its editors)."""
    user = require_user()
    group = load_group(slug, user)
    require(policy.can_moderate(user, group))
    return _presence(group)


@blp.route("/groups/<slug>/fediverse", methods=["PUT"])
@blp.arguments(PresenceUpdateSchema)
@blp.response(200, PresenceSchema)
def put_presence(args: dict[str, Any], slug: str) -> Any:
    """Switch the presence and replies on or off (managers; public groups only, else 409)."""
    user = require_user()
    group = load_group(slug, user)
    require(policy.can_set_presence(user, group))
    publishing.switch(group, enabled=args["enabled"], replies=args["replies"])
    return _presence(group)


@blp.route("/groups/<slug>/fediverse/replies")
@blp.response(200, ReplySchema(many=True))
def pending_replies(slug: str) -> Any:
    """Replies waiting for the editors' decision, oldest first."""
    user = require_user()
    group = load_group(slug, user)
    require(policy.can_moderate(user, group))
    return services.pending_replies(group)


@blp.route("/fediverse/replies/<int:reply_id>/decision", methods=["POST"])
@blp.arguments(ReplyDecisionSchema)
@blp.response(204)
def decide_reply(args: dict[str, Any], reply_id: int) -> None:
    """Show a reply, delete it, or block its account or whole server."""
    user = require_user()
    reply = db.session.get(RemoteReply, reply_id)
    if reply is None:
        abort(404)
    group = services.reply_group(reply)
    require(policy.can_moderate(user, group))
    decision = args["decision"]
    if decision == "approve":
        services.approve_reply(reply)
    elif decision == "reject":
        services.reject_reply(reply)
    elif decision == "block_account":
        services.block(group, BlockKind.ACCOUNT, reply.remote.actor_url)
    else:
        services.block(group, BlockKind.SERVER, reply.remote.domain)


@blp.route("/groups/<slug>/fediverse/blocks", methods=["POST"])
@blp.arguments(BlockSchema)
@blp.response(204)
def add_block(args: dict[str, Any], slug: str) -> None:
    """Block an account (actor URL) or a server (domain) for this group."""
    user = require_user()
    group = load_group(slug, user)
    require(policy.can_moderate(user, group))
    services.block(group, BlockKind(args["kind"]), args["value"])


@blp.route("/groups/<slug>/fediverse/blocks/<int:block_id>", methods=["DELETE"])
@blp.response(204)
def lift_block(slug: str, block_id: int) -> None:
    """Hear from a blocked account or server again."""
    user = require_user()
    group = load_group(slug, user)
    require(policy.can_moderate(user, group))
    block = db.session.get(Block, block_id)
    if block is None or block.group_id != group.id:
        abort(404)
    services.lift_block(block)
