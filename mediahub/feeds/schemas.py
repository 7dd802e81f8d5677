"""API schemas of the secret feed addresses."""

from __future__ import annotations

from marshmallow import Schema

from mediahub.api import fields
from mediahub.groups.feed_tokens import LABEL_MAX


class FeedTokenSchema(Schema):
    id = fields.Int()
    label = fields.Str(metadata={"description": "whom the address is for"})
    created_at = fields.AwareDateTime()
    last_used_on = fields.Date(
        allow_none=True, metadata={"description": "day of last use (no finer, for privacy)"}
    )


class FeedTokenCreatedSchema(FeedTokenSchema):
    url = fields.Str(
        metadata={"description": "the listener's feed address; shown this once, never again"}
    )


class FeedTokenCreateSchema(Schema):
    label = fields.Str(required=True, max_length=LABEL_MAX)
