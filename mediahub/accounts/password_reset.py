"""A forgotten password: a one-time link by mail. Callers own the transaction.

Anybody may ask for a link for an address (the login page, the app). The
request does the same work whether or not an account has the address — it
hands the address to the worker, which looks it up — so neither the answer
nor its timing tells who has an account on a health hub. The worker mails
the link only to an active account's address; the secret (256 bits) is
made there and only its hash is stored. The link works once, for an hour;
using it sets the new password and ends every login of the account (other
browsers, the app's access tokens). Administrators can send the link too:
that is how a person whose account was created without a password sets one.

Requests are limited per address and per client by the callers' rate limits
(:mod:`mediahub.accounts.ratelimits`), before any of this runs.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, delete, select

from mediahub.accounts import tasks
from mediahub.accounts.models import PasswordReset, User, hash_token
from mediahub.accounts.policy import can_manage_people
from mediahub.accounts.services import normalise_email, set_password
from mediahub.core.errors import Conflict, NotFound, require
from mediahub.core.extensions import db
from mediahub.core.queue import enqueue_after_commit
from mediahub.core.types import utcnow

#: How long the link in the mail works.
LIFETIME = dt.timedelta(hours=1)
#: The longest secret worth looking up (ours have 43 characters).
_SECRET_MAX = 200

INVALID_LINK = _l(
    "This link to set a new password is not valid (any more). It may have been used "
    "already or be older than one hour. Please ask for a new one."
)


def request_reset(email: str) -> str:
    """Ask for a link for ``email``; returns the address as normalised.

    The mail goes out after commit if an active account has the address;
    otherwise nothing happens — and the caller answers the same either way.

    Raises:
        InvalidInput: not an email address at all (field ``email``).
    """
    address = normalise_email(email or "")
    enqueue_after_commit(db.session, tasks.send_password_reset_link, address)
    return address


def send_link(user: User, *, actor: User) -> None:
    """An administrator sends ``user`` the link (also to set a first password).

    Raises:
        PermissionDenied: ``actor`` is not an administrator.
        Conflict: the account is deactivated (it could not log in anyway).
    """
    require(can_manage_people(actor), _l("Only hub administrators can manage people."))
    if not user.is_active:
        raise Conflict(
            _l("This account is deactivated. Activate it first, then send the link."),
            code="inactive",
        )
    enqueue_after_commit(db.session, tasks.send_password_reset_link, user.email, by_admin=True)


def issue_link(user: User, *, by_admin: bool = False) -> str:
    """Make a new link for ``user`` (earlier ones stop working); returns its
    secret, which only the mail carries."""
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    secret = secrets.token_urlsafe(32)  # 256 bits
    now = utcnow()
    db.session.add(
        PasswordReset(
            user=user,
            token_hash=hash_token(secret),
            is_admin_request=by_admin,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    db.session.flush()
    return secret


def reset_for_secret(secret: str) -> PasswordReset:
    """The usable link the secret belongs to.

    Raises:
        NotFound: unknown, used or expired link, or a deactivated account
            (one message for all).
    """
    row = None
    if secret and len(secret) <= _SECRET_MAX:
        row = db.session.scalar(
            select(PasswordReset).where(PasswordReset.token_hash == hash_token(secret))
        )
    if row is None or not row.is_usable(utcnow()):
        raise NotFound(INVALID_LINK, code="reset_link_invalid")
    return row


def complete_reset(row: PasswordReset, password: str) -> User:
    """Use the link: set the new password and end every login of the account.

    Raises:
        InvalidInput: the password breaks the rules (field ``password``).
    """
    user = row.user
    set_password(user, password)  # keeps no session: every browser and token ends
    row.used_at = utcnow()
    row.token_hash = None  # the link is used up
    db.session.flush()
    return user


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete links that expired; returns how many."""
    result = db.session.execute(
        delete(PasswordReset).where(PasswordReset.expires_at <= (now or utcnow()))
    )
    return cast("CursorResult[Any]", result).rowcount or 0
