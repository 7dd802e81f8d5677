"""API schemas of a group's fediverse presence."""

from __future__ import annotations

from marshmallow import Schema, validate

from mediahub.api import fields
from mediahub.api.schemas import AudienceSchema, everybody
from mediahub.fediverse.models import BlockKind


class PresenceSchema(AudienceSchema):
    enabled = fields.Bool(metadata=everybody("followers get a post for each new episode and post"))
    replies = fields.Bool(metadata=everybody("replies wait for the editors; false: none are taken"))
    address = fields.Str(allow_none=True, metadata=everybody("@slug@hub-domain, when enabled"))
    followers = fields.Int(metadata=everybody("how many follow the group"))


class PresenceUpdateSchema(Schema):
    enabled = fields.Bool(required=True)
    replies = fields.Bool(load_default=False)


class ReplySchema(AudienceSchema):
    id = fields.Int(metadata=everybody())
    state = fields.Function(lambda r: r.state.value, metadata=everybody("pending or approved"))
    text = fields.Str(metadata=everybody("the reply as plain text"))
    account = fields.Function(lambda r: r.remote.handle, metadata=everybody("@name@server"))
    account_url = fields.Function(lambda r: r.remote.actor_url, metadata=everybody())
    name = fields.Function(lambda r: r.remote.name, metadata=everybody())
    item_url = fields.Function(lambda r: r.item.document.get("url"), metadata=everybody())
    received_at = fields.AwareDateTime(metadata=everybody())


class ReplyDecisionSchema(Schema):
    decision = fields.Str(
        required=True,
        validate=validate.OneOf(["approve", "reject", "block_account", "block_server"]),
        metadata={"description": "approve (shown), reject (gone), or block its account or server"},
    )


class BlockSchema(Schema):
    kind = fields.Str(required=True, validate=validate.OneOf([k.value for k in BlockKind]))
    value = fields.Str(
        required=True,
        max_length=2000,
        metadata={"description": "an account's actor URL, or a server's domain"},
    )
