"""Rate limits on everything that checks a password or mails a password link.

Logging in (page and token endpoint) is limited per client and per named
account; everything a logged-in person confirms with their password
(changing it, changing the email address, deleting the account; web and
API) shares one budget per client and one per account, with the same
numbers. They are checked before the view runs, so a throttled attempt never
costs an argon2 hash.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from mediahub.accounts.identity import any_caller
from mediahub.core.extensions import limiter
from mediahub.core.privacy import account_key


def _per_client() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _per_account() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


# Only attempts that send credentials count; showing the login page does not.
login_limits = [
    limiter.limit(_per_client, methods=["POST"]),
    limiter.limit(_per_account, key_func=account_key, methods=["POST"]),
]


def limited(fn):
    for decorate in reversed(login_limits):
        fn = decorate(fn)
    return fn


def _acting_account() -> str:
    """Rate-limit key of the logged-in person (API token or session), hashed."""
    user = any_caller()
    ident = str(user.id) if user is not None else "-"
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"acting:" + ident.encode(), hashlib.sha256).hexdigest()[:32]


_SENDING = ["POST", "PUT", "PATCH", "DELETE"]

password_check_limits = [
    limiter.shared_limit(_per_client, scope="password-checks", methods=_SENDING),
    limiter.shared_limit(
        _per_account, scope="password-checks-account", key_func=_acting_account, methods=_SENDING
    ),
]


def _email_changes() -> str:
    return current_app.config["EMAIL_CHANGE_RATE_LIMIT"]


#: Each request mails somebody: at most a few per account (web and API alike).
email_change_limit = limiter.shared_limit(
    _email_changes, scope="email-changes", key_func=_acting_account, methods=_SENDING
)


def _resets_per_client() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _resets_per_address() -> str:
    return current_app.config["PASSWORD_RESET_ADDRESS_RATE_LIMIT"]


#: Asking for a password link, on the web and in the API (shared budgets):
#: per client, and per address asked about (known or not, so the limit
#: tells nothing either). Only requests that send an address count.
password_reset_limits = [
    limiter.shared_limit(_resets_per_client, scope="password-resets", methods=["POST"]),
    limiter.shared_limit(
        _resets_per_address,
        scope="password-resets-address",
        key_func=account_key,
        methods=["POST"],
    ),
]


def reset_requested(fn):
    """Decorate a view that asks for a password link."""
    for decorate in reversed(password_reset_limits):
        fn = decorate(fn)
    return fn


def password_checked(fn):
    """Decorate a view that checks the logged-in person's password (put it
    below ``login_required``, so a login redirect costs nothing)."""
    for decorate in reversed(password_check_limits):
        fn = decorate(fn)
    return fn
