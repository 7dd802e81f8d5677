"""JSON API: access tokens and people."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, validate

from mediahub.accounts import email_change, services
from mediahub.accounts.models import HubRole, User
from mediahub.accounts.passwords import verify_password
from mediahub.accounts.ratelimits import email_change_limit, limited, password_checked
from mediahub.accounts.services import NAME_MAX, PASSWORD_MAX
from mediahub.api import fields
from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.core.errors import InvalidInput, NotFound, PermissionDenied, Unauthorized
from mediahub.core.extensions import db

#: An access token's label (the column's size).
LABEL_MAX = 80

blp = api_blueprint("accounts_api", __name__, "Access tokens and people")


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


def _require_admin() -> User:
    user = require_user()
    if not user.is_admin:
        raise PermissionDenied(_l("Only hub administrators can manage people."))
    return user


@blp.route("/tokens", methods=["POST"])
@limited
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
def create_token(args: dict[str, Any]) -> Any:
    """Log in with email and password and get a personal access token."""
    user = services.authenticate(args["email"], args["password"])
    if user is None:
        raise Unauthorized(_l("The email address or the password is wrong."))
    row, secret = services.create_api_token(user, args["label"])
    db.session.commit()
    return {"id": row.id, "token": secret, "label": row.label, "created_at": row.created_at}


@blp.route("/tokens/current", methods=["DELETE"])
@blp.response(204)
def revoke_current_token() -> None:
    """Log out: the token used for this request stops working."""
    require_user()
    services.revoke_api_token(g.api_token)
    db.session.commit()


@blp.route("/users/me")
@blp.response(200, UserSchema)
def get_me() -> Any:
    """The caller's own account and settings."""
    return require_user()


@blp.route("/users/me", methods=["PATCH"])
@blp.arguments(MeUpdateSchema)
@blp.response(200, UserSchema)
def update_me(args: dict[str, Any]) -> Any:
    """Change one's own settings.

    Name, language, whether one is named as author in feeds and on public
    pages, and whether one gets notification mails; only the fields sent change.
    """
    user = require_user()
    services.update_user(user, **args)
    db.session.commit()
    return user


@blp.route("/users/me/password", methods=["PUT"])
@password_checked
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
def change_my_password(args: dict[str, Any]) -> None:
    """Change one's own password.

    As on the web, every other login ends: browser sessions and the other
    access tokens. This token keeps working.
    """
    user = require_user()
    if not verify_password(user.password_hash, args["current_password"]):
        raise InvalidInput(_l("This is not your current password."), field="current_password")
    try:
        services.set_password(user, args["new_password"], keep_token=g.get("api_token"))
    except InvalidInput as err:
        raise InvalidInput(err.message, field="new_password") from None
    db.session.commit()


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


@blp.route("/users/me/email", methods=["PUT"])
@password_checked
@email_change_limit
@blp.arguments(EmailChangeRequestSchema)
@blp.response(202, EmailChangeSchema)
def change_my_email(args: dict[str, Any]) -> Any:
    """Ask to change one's own email address.

    A confirmation link (usable once, for 24 hours) is mailed to the new
    address; the address changes only when the link is opened, if no other
    account has taken it meanwhile, and a notice then goes to the old
    address. Until then the old address stays in use. Whether the new address
    belongs to another account is not told here (the mail there says so).
    Limited per account (EMAIL_CHANGE_RATE_LIMIT) and, as every password
    check, like logins.
    """
    user = require_user()
    row = email_change.request_change(user, args["email"], password=args["password"])
    db.session.commit()
    return row


@blp.route("/users")
@blp.response(200, UserSchema(many=True))
def list_users() -> Any:
    """Everybody with an account (hub admins)."""
    _require_admin()
    return list(db.session.scalars(db.select(User).order_by(User.display_name)))


@blp.route("/users", methods=["POST"])
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user(args: dict[str, Any]) -> Any:
    """Create an account (hub admins)."""
    _require_admin()
    user = services.create_user(
        args["email"], args["display_name"], args["password"], HubRole(args["hub_role"])
    )
    db.session.commit()
    return user


@blp.route("/users/<int:user_id>", methods=["PATCH"])
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def update_user(args: dict[str, Any], user_id: int) -> Any:
    """Change a person's email address, name, hub role or deactivate the
    account (hub admins). A new address applies at once; a notice goes to
    the old one."""
    admin = _require_admin()
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("There is no such person."))
    if "email" in args:
        email_change.admin_change(user, args.pop("email"), actor=admin)
    if "hub_role" in args:
        args["hub_role"] = HubRole(args["hub_role"])
    services.update_user(user, actor=admin, **args)
    db.session.commit()
    return user


class AccountDeleteSchema(Schema):
    password = fields.Str(
        required=True,
        load_only=True,
        max_length=PASSWORD_MAX,
        metadata={"description": "the current password"},
    )


_ZIP = {
    "description": "account.json and the person's audio files",
    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
}


@blp.route("/me/export")
@blp.doc(responses={"200": _ZIP})
def export_me() -> Any:
    """Download everything about the caller as a ZIP file (streamed)."""
    from mediahub.accounts.account_views import export_response

    return export_response(require_user())


@blp.route("/me", methods=["DELETE"])
@password_checked
@blp.arguments(AccountDeleteSchema)
@blp.response(204)
def delete_me(args: dict[str, Any]) -> None:
    """Delete the caller's account. Published items stay with their groups
    (without author); everything else of theirs is deleted, with its audio."""
    from mediahub.accounts.deletion import delete_account

    delete_account(require_user(), password=args["password"])
    db.session.commit()
