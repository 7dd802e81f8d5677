"""API schemas of the accounts feature: tokens, the person themself."""

from __future__ import annotations

from marshmallow import Schema

from mediahub.accounts import services
from mediahub.accounts.services import NAME_MAX, PASSWORD_MAX
from mediahub.api import fields

#: An access token's label (the column's size).
LABEL_MAX = 80


class TokenRequestSchema(Schema):
    email = fields.Str(required=True, max_length=services.EMAIL_MAX)
    password = fields.Str(required=True, load_only=True, max_length=PASSWORD_MAX)
    label = fields.Str(
        load_default="",
        max_length=LABEL_MAX,
        metadata={"description": "e.g. the device, to recognise it later"},
    )


class TokenSchema(Schema):
    id = fields.Int()
    token = fields.Str(metadata={"description": "shown once; send as 'Authorization: Bearer …'"})
    label = fields.Str()
    created_at = fields.AwareDateTime()


class MeUpdateSchema(Schema):
    display_name = fields.Str(max_length=NAME_MAX, metadata={"description": "a pseudonym is fine"})
    locale = fields.Str(
        max_length=8,
        metadata={"description": "one of the hub's languages (setting LANGUAGES: de, en)"},
    )
    is_credited = fields.Bool(
        metadata={"description": "name me as author in feeds and on public pages"}
    )
    email_notifications = fields.Bool(
        metadata={"description": "mail me about submissions and review decisions"}
    )


class PasswordChangeSchema(Schema):
    current_password = fields.Str(required=True, load_only=True, max_length=PASSWORD_MAX)
    new_password = fields.Str(
        required=True,
        load_only=True,
        max_length=PASSWORD_MAX,
        metadata={"description": "at least PASSWORD_MIN_LENGTH characters (10 by default)"},
    )


class EmailChangeRequestSchema(Schema):
    email = fields.Str(
        required=True,
        max_length=services.EMAIL_MAX,
        metadata={"description": "the new address; the confirmation link goes there"},
    )
    password = fields.Str(
        required=True,
        load_only=True,
        max_length=PASSWORD_MAX,
        metadata={"description": "the current password"},
    )


class EmailChangeSchema(Schema):
    new_email = fields.Str(metadata={"description": "waiting for confirmation"})
    expires_at = fields.AwareDateTime(metadata={"description": "the link works until then"})


class PasswordResetRequestSchema(Schema):
    email = fields.Str(
        required=True,
        max_length=services.EMAIL_MAX,
        metadata={"description": "the address the person logs in with"},
    )


class PasswordResetAnswerSchema(Schema):
    message = fields.Str(metadata={"description": "the same for every address"})


class PasswordResetSchema(Schema):
    token = fields.Str(
        required=True,
        load_only=True,
        max_length=200,
        metadata={"description": "the secret at the end of the link in the mail"},
    )
    password = fields.Str(
        required=True,
        load_only=True,
        max_length=PASSWORD_MAX,
        metadata={"description": "at least PASSWORD_MIN_LENGTH characters (10 by default)"},
    )


class MembershipOutSchema(Schema):
    group = fields.Function(lambda m: m.group.slug)
    role = fields.Str()


class UserSchema(Schema):
    id = fields.Int()
    email = fields.Str()
    display_name = fields.Str()
    hub_role = fields.Str()
    is_active = fields.Bool()
    locale = fields.Str(
        allow_none=True,
        metadata={"description": "language of pages and mails; null: not chosen (German)"},
    )
    is_credited = fields.Bool(
        metadata={"description": "named as author in feeds and on public pages"}
    )
    email_notifications = fields.Bool(
        metadata={"description": "gets mails about submissions and review decisions"}
    )
    created_at = fields.AwareDateTime()
    memberships = fields.List(fields.Nested(MembershipOutSchema))
