"""API schemas of a group's fediverse presence."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, validate

from mediahub.api import fields
from mediahub.api.schemas import AudienceSchema, shown_to, viewer
from mediahub.core.audience import Audience
from mediahub.fediverse import services
from mediahub.fediverse.models import BlockKind, RemoteReply
from mediahub.groups.policy import group_audience


def editors(description: str | None = None) -> dict:
    """Field metadata: the group's editors (who alone read the presence and replies)."""
    return shown_to(Audience.EDITOR, description)


class PresenceSchema(AudienceSchema):
    enabled = fields.Bool(metadata=editors("followers get a post for each new episode and post"))
    replies = fields.Bool(metadata=editors("replies wait for the editors; false: none are taken"))
    address = fields.Str(allow_none=True, metadata=editors("@slug@hub-domain, when enabled"))
    followers = fields.Int(metadata=editors("how many follow the group"))

    def audience_of(self, presence: dict[str, Any]) -> Audience:
        return group_audience(viewer(), presence["group"])


class PresenceUpdateSchema(Schema):
    enabled = fields.Bool(required=True)
    replies = fields.Bool(load_default=False)


class ReplySchema(AudienceSchema):
    id = fields.Int(metadata=editors())
    state = fields.Function(lambda r: r.state.value, metadata=editors("pending or approved"))
    text = fields.Str(metadata=editors("the reply as plain text"))
    account = fields.Function(lambda r: r.remote.handle, metadata=editors("@name@server"))
    account_url = fields.Function(lambda r: r.remote.actor_url, metadata=editors())
    name = fields.Function(lambda r: r.remote.name, metadata=editors())
    item_url = fields.Function(lambda r: r.item.document.get("url"), metadata=editors())
    received_at = fields.AwareDateTime(metadata=editors())

    def audience_of(self, reply: RemoteReply) -> Audience:
        return group_audience(viewer(), services.reply_group(reply))


class ReplyDecisionSchema(Schema):
    decision = fields.Str(
        required=True,
        max_length=20,
        validate=validate.OneOf(["approve", "reject", "block_account", "block_server"]),
        metadata={"description": "approve (shown), reject (gone), or block its account or server"},
    )


class BlockSchema(Schema):
    kind = fields.Str(
        required=True, max_length=20, validate=validate.OneOf([k.value for k in BlockKind])
    )
    value = fields.Str(
        required=True,
        max_length=2000,
        metadata={"description": "an account's actor URL, or a server's domain"},
    )
