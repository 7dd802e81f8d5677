"""API schemas of a person's own data."""

from __future__ import annotations

from marshmallow import Schema

from mediahub.accounts.services import PASSWORD_MAX
from mediahub.api import fields


class AccountDeleteSchema(Schema):
    password = fields.Str(
        required=True,
        load_only=True,
        max_length=PASSWORD_MAX,
        metadata={"description": "the current password"},
    )
