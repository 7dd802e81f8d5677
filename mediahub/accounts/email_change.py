"""Changing a person's email address. Callers own the transaction.

The person asks, with their password. The worker mails a link to the new
address (256 bits, stored hashed, valid for 24 hours, used once); the
address changes only when the link is used, and only if nobody else has
taken the address meanwhile. An administrator changes an address at once.
Either way a notice goes to the old address, so that a person whose account
was taken over hears of it.

Whether an address belongs to another account is never told to the person
asking (that would tell them who has an account on a health hub): the
mail to that address says so instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, delete, select

from mediahub.accounts import tasks
from mediahub.accounts.models import EmailChange, User, hash_token
from mediahub.accounts.passwords import verify_password
from mediahub.accounts.policy import can_manage_people
from mediahub.accounts.services import normalise_email, user_by_email
from mediahub.core.errors import Conflict, InvalidInput, NotFound, require
from mediahub.core.extensions import db
from mediahub.core.queue import enqueue_after_commit
from mediahub.core.types import utcnow

#: How long the link in the mail to the new address works.
LIFETIME = dt.timedelta(hours=24)


def _drop_pending(user: User) -> None:
    """Earlier links stop working: only the newest request counts."""
    db.session.execute(
        delete(EmailChange).where(
            EmailChange.user_id == user.id, EmailChange.confirmed_at.is_(None)
        )
    )


def request_change(user: User, new_email: str, *, password: str) -> EmailChange:
    """Ask to change ``user``'s address; the link goes out after commit.

    Raises:
        InvalidInput: a wrong password, a bad address, or the current one.
    """
    if not verify_password(user.password_hash, password or ""):
        raise InvalidInput(_l("This is not your current password."), field="password")
    email = normalise_email(new_email or "")
    if email == user.email.lower():
        raise InvalidInput(_l("This is your address already."), field="email")
    _drop_pending(user)
    now = utcnow()
    row = EmailChange(user=user, new_email=email, created_at=now, expires_at=now + LIFETIME)
    db.session.add(row)
    db.session.flush()
    enqueue_after_commit(db.session, tasks.send_email_change_link, row.id)
    return row


def pending_change(user: User) -> EmailChange | None:
    """The change ``user`` asked for and has not confirmed yet, if any."""
    return db.session.scalar(
        select(EmailChange)
        .where(
            EmailChange.user_id == user.id,
            EmailChange.confirmed_at.is_(None),
            EmailChange.expires_at > utcnow(),
        )
        .order_by(EmailChange.id.desc())
    )


def change_for_secret(secret: str) -> EmailChange:
    """The waiting change the emailed link belongs to.

    Raises:
        NotFound: unknown, used or expired link (one message for all).
    """
    row = None
    if secret and len(secret) <= 200:
        row = db.session.scalar(
            select(EmailChange).where(EmailChange.token_hash == hash_token(secret))
        )
    if row is None or not row.is_pending(utcnow()):
        raise NotFound(
            _l(
                "This confirmation link is not valid (any more). It may have been used "
                "already or be older than 24 hours. Please ask for the change again on "
                "your account page."
            ),
            code="email_change_invalid",
        )
    return row


def _taken_by_another(user: User, email: str) -> bool:
    other = user_by_email(email)
    return other is not None and other.id != user.id


def _apply(row: EmailChange) -> User:
    user = row.user
    row.old_email = user.email
    user.email = row.new_email
    row.confirmed_at = utcnow()
    row.token_hash = None  # the link is used up
    db.session.flush()
    enqueue_after_commit(db.session, tasks.send_email_changed_notice, row.id)
    return user


def confirm(row: EmailChange) -> User:
    """Use the link: the address changes now, a notice goes to the old one.

    Raises:
        Conflict: the address has been taken by another account meanwhile.
    """
    if _taken_by_another(row.user, row.new_email):
        raise Conflict(
            _l("This address belongs to another account now; nothing was changed."),
            code="duplicate",
        )
    return _apply(row)


def admin_change(user: User, new_email: str, *, actor: User) -> User:
    """An administrator changes ``user``'s address at once (the person lost
    their mailbox, a typo at creation); a notice goes to the old address.

    Raises:
        PermissionDenied: ``actor`` is not an administrator.
        InvalidInput: a bad address.
        Conflict: another account has the address.
    """
    require(can_manage_people(actor), _l("Only hub administrators can manage people."))
    email = normalise_email(new_email or "")
    if email == user.email.lower():
        return user
    if _taken_by_another(user, email):
        raise Conflict(
            _l("An account with this email address exists already."),
            field="email",
            code="duplicate",
        )
    _drop_pending(user)
    now = utcnow()
    row = EmailChange(
        user=user, new_email=email, is_admin_change=True, created_at=now, expires_at=now + LIFETIME
    )
    db.session.add(row)
    return _apply(row)


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete rows whose link expired or whose notice never went; returns how many."""
    result = db.session.execute(
        delete(EmailChange).where(EmailChange.expires_at <= (now or utcnow()))
    )
    return cast("CursorResult[Any]", result).rowcount or 0
