"""API schemas of the administration: the health facts and the people admins manage."""

from __future__ import annotations

from marshmallow import Schema, validate

from mediahub.accounts import services
from mediahub.accounts.models import HubRole
from mediahub.accounts.services import NAME_MAX, PASSWORD_MAX
from mediahub.api import fields


class HealthSchema(Schema):
    ok = fields.Bool(metadata={"description": "every check passed"})
    checked_at = fields.Str()
    database = fields.Dict(metadata={"description": "ok, dialect, revision, head, at_head"})
    queue = fields.Dict(metadata={"description": "ok, backend, pending, scheduled"})
    worker = fields.Dict(
        metadata={"description": "ok, last_seen_at, seconds_ago (red above 180), alive_workers"}
    )
    storage = fields.Dict(metadata={"description": "ok, backend, probe, free_bytes, total_bytes"})
    ffmpeg = fields.Dict(metadata={"description": "ok, path, version"})


class UserCreateSchema(Schema):
    email = fields.Str(required=True, max_length=services.EMAIL_MAX)
    display_name = fields.Str(required=True, max_length=NAME_MAX)
    password = fields.Str(
        load_default=None,
        load_only=True,
        max_length=PASSWORD_MAX,
        metadata={
            "description": "optional; without it the person cannot log in until a password is set"
        },
    )
    hub_role = fields.Str(
        max_length=16,
        load_default=HubRole.NONE.value,
        validate=validate.OneOf([r.value for r in HubRole]),
    )


class UserUpdateSchema(Schema):
    email = fields.Str(
        max_length=services.EMAIL_MAX,
        metadata={
            "description": "changes at once; a notice goes to the old address "
            "(people change their own with PUT /users/me/email)"
        },
    )
    display_name = fields.Str(max_length=NAME_MAX)
    hub_role = fields.Str(max_length=16, validate=validate.OneOf([r.value for r in HubRole]))
    is_active = fields.Bool()
