"""JSON API: access tokens and people."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import lazy_gettext as _l

from mediahub.accounts import email_change, identity, password_reset, services
from mediahub.accounts.passwords import verify_password
from mediahub.accounts.ratelimits import (
    email_change_limit,
    limited,
    password_checked,
    reset_requested,
)
from mediahub.accounts.schemas import (
    EmailChangeRequestSchema,
    EmailChangeSchema,
    MeUpdateSchema,
    PasswordChangeSchema,
    PasswordResetAnswerSchema,
    PasswordResetRequestSchema,
    PasswordResetSchema,
    TokenRequestSchema,
    TokenSchema,
    UserSchema,
)
from mediahub.api.blueprint import api_blueprint, public, require_user
from mediahub.core.errors import InvalidInput, Unauthorized
from mediahub.web.guessing import secret_lookup

blp = api_blueprint("accounts_api", __name__, "Access tokens and people")


@blp.route("/tokens", methods=["POST"])
@limited
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@public
def create_token(args: dict[str, Any]) -> Any:
    """Log in with email and password and get a personal access token."""
    user = services.authenticate(args["email"], args["password"])
    if user is None:
        raise Unauthorized(_l("The email address or the password is wrong."))
    row, secret = services.create_api_token(user, args["label"])
    return {"id": row.id, "token": secret, "label": row.label, "created_at": row.created_at}


@blp.route("/tokens/current", methods=["DELETE"])
@blp.response(204)
def revoke_current_token() -> None:
    """Log out: the token used for this request stops working."""
    require_user()
    token = identity.api_token()
    if token is not None:  # a session caller (uploads) has none to revoke
        services.revoke_api_token(token)


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
    return row


RESET_ANSWER = _l(
    "If there is an account with this address, a link to choose a new password is on its "
    "way there now. It works once, for one hour."
)


@blp.route("/password-resets", methods=["POST"])
@reset_requested
@blp.doc(security=[])
@blp.arguments(PasswordResetRequestSchema)
@blp.response(202, PasswordResetAnswerSchema)
@public
def request_password_reset(args: dict[str, Any]) -> Any:
    """Forgot the password: mail a link to choose a new one.

    No login needed. The answer is the same whether or not an account has
    the address (only an active account's address gets the mail). The link
    in the mail works once, for one hour; its last part is the ``token``
    for ``POST /password-resets/complete``. Limited per client and per
    address (PASSWORD_RESET_RATE_LIMIT, PASSWORD_RESET_ADDRESS_RATE_LIMIT;
    shared with the web page): 429 beyond.
    """
    password_reset.request_reset(args["email"])
    return {"message": RESET_ANSWER}


@blp.route("/password-resets/complete", methods=["POST"])
@secret_lookup
@blp.doc(security=[])
@blp.arguments(PasswordResetSchema)
@blp.response(204)
@public
def complete_password_reset(args: dict[str, Any]) -> None:
    """Set a new password with the token from the mailed link.

    No login needed. Every login of the account ends: browser sessions and
    access tokens; then ask for a new token (``POST /tokens``). An unknown,
    used or expired token is a 404 (``reset_link_invalid``) and counts as a
    guess of a secret address (SECRET_GUESS_LIMIT).
    """
    row = password_reset.reset_for_secret(args["token"])
    password_reset.complete_reset(row, args["password"])
