"""Inviting people into a group by email. Callers own the transaction.

A manager names an address and a role; the worker mails a one-time link
(``send_invitation``). Whoever opens it sets a display name and password,
or, with an account already, logs in; either way they join the group.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediahub.accounts.models import User, hash_token
from mediahub.accounts.services import normalise_email, user_by_email
from mediahub.core.errors import Conflict, InvalidInput, NotFound
from mediahub.core.extensions import db
from mediahub.core.queue import enqueue_after_commit
from mediahub.core.types import utcnow
from mediahub.groups.models import Group, GroupRole, Invitation, Membership
from mediahub.groups.services import membership
from mediahub.groups.tasks import send_invitation


def _lifetime() -> dt.timedelta:
    return dt.timedelta(days=current_app.config["INVITATION_DAYS"])


def _role(role: str) -> GroupRole:
    try:
        return GroupRole(role)
    except ValueError:
        raise InvalidInput(
            _l("The role must be member, editor or manager."), field="role"
        ) from None


def pending_invitations(group: Group) -> list[Invitation]:
    """Invitations not yet accepted, newest first (expired ones included, marked)."""
    stmt = (
        select(Invitation)
        .where(Invitation.group_id == group.id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return list(db.session.scalars(stmt))


def invite(group: Group, email: str, role: str, *, actor: User) -> Invitation:
    """Invite ``email`` into ``group`` with ``role``; the mail goes out after commit.

    Inviting the same address again renews the open invitation (new role,
    new link, new expiry) instead of sending a second one.

    Raises:
        InvalidInput: a bad address or role.
        Conflict: the person is a member already.
    """
    email = normalise_email(email or "")
    role_enum = _role(role)
    existing = user_by_email(email)
    if existing is not None and membership(group, existing) is not None:
        raise Conflict(
            _l("%(name)s is already a member of the group.", name=existing.display_name),
            field="email",
            code="member",
        )
    row = db.session.scalar(
        select(Invitation).where(
            Invitation.group_id == group.id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
        )
    )
    if row is None:
        row = Invitation(group=group, email=email)
        db.session.add(row)
    row.role = role_enum
    row.invited_by = actor
    _queue_mail(row)
    return row


def resend(row: Invitation) -> None:
    """Mail a fresh link (the previous one stops working) with a new expiry."""
    if row.accepted_at is not None:
        raise Conflict(_l("This invitation has been accepted already."), code="accepted")
    _queue_mail(row)


def withdraw(row: Invitation) -> None:
    """Delete an invitation; its link stops working at once."""
    db.session.delete(row)
    db.session.flush()


def load_invitation(group: Group, invitation_id: int) -> Invitation:
    row = db.session.get(Invitation, invitation_id)
    if row is None or row.group_id != group.id or row.accepted_at is not None:
        raise NotFound(_l("This invitation does not exist (any more)."))
    return row


def _queue_mail(row: Invitation) -> None:
    row.token_hash = None  # the old link ends now; the worker makes the new one
    row.sent_at = None
    row.expires_at = utcnow() + _lifetime()
    db.session.flush()
    enqueue_after_commit(db.session, send_invitation, row.id)


def invitation_for_secret(secret: str) -> Invitation:
    """The open invitation this link belongs to.

    Raises:
        NotFound: unknown, withdrawn, used or expired link (one message for all).
    """
    row = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(secret)))
    if row is None or not row.is_pending(utcnow()):
        raise NotFound(
            _l(
                "This invitation link is not valid (any more). It may have been used "
                "already or be older than %(days)d days. Please ask for a new invitation.",
                days=current_app.config["INVITATION_DAYS"],
            ),
            code="invitation_invalid",
        )
    return row


def accept(row: Invitation, user: User) -> Membership:
    """Make ``user`` a member with the invited role and use up the link.

    A person who is a member already keeps the higher of the two roles.
    """
    order = [GroupRole.MEMBER, GroupRole.EDITOR, GroupRole.MANAGER]
    current = membership(row.group, user)
    if current is None:
        current = Membership(group=row.group, user=user, role=row.role)
        db.session.add(current)
    elif order.index(row.role) > order.index(current.role):
        current.role = row.role
    row.accepted_at = utcnow()
    row.token_hash = None
    db.session.flush()
    return current


def new_account_email_taken(row: Invitation) -> bool:
    """Whether the invited address has an account (then the person logs in)."""
    return user_by_email(row.email) is not None
