"""Deleting one's own account. Callers own the transaction.

What goes: the account, its login sessions and access tokens, memberships,
and every episode and post of the person that is not online (drafts, in
review, declined, taken offline) together with its audio and its review
history. What stays: published and scheduled items, which belong to the
group's podcast and blog now; their author becomes empty (``ondelete=SET NULL``).
"""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from mediahub.accounts.models import ApiToken, HubRole, LoginSession, User
from mediahub.accounts.passwords import verify_password
from mediahub.core import signals
from mediahub.core.errors import Conflict, InvalidInput
from mediahub.core.extensions import db
from mediahub.media import services as media
from mediahub.review import services as review
from mediahub.review.workflow import ItemState

log = logging.getLogger(__name__)

#: Items in these states stay with the group when their author leaves.
KEPT_STATES = frozenset({ItemState.PUBLISHED, ItemState.SCHEDULED})


def check_deletable(user: User) -> None:
    """Raises Conflict when the hub would lose its last administrator."""
    if not user.is_admin:
        return
    others = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.hub_role == HubRole.ADMIN, User.is_active, User.id != user.id)
    )
    if not others:
        raise Conflict(
            _l(
                "You are the hub's only administrator. Please make someone else an "
                "administrator first."
            ),
            code="last_admin",
        )


def delete_account(user: User, *, password: str) -> int:
    """Delete ``user`` after checking their password; returns how many items went.

    Raises:
        InvalidInput: the password is wrong.
        Conflict: the last administrator cannot leave.
    """

    if not verify_password(user.password_hash, password or ""):
        raise InvalidInput(_l("This is not your current password."), field="password")
    check_deletable(user)
    removed = 0
    for item in review.items_by_author(user):
        if item.status in KEPT_STATES:
            continue
        assets = [getattr(item, name, None) for name in ("audio", "image")]
        item_type, item_id = item.item_type, item.id
        review.delete(item, user)
        review.forget_history(item_type, item_id)
        media.discard(*assets)
        removed += 1
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    # The items that stay lose their author's name everywhere (feeds too).
    signals.person_changed.send(user, actor=user)
    db.session.delete(user)
    db.session.flush()
    return removed
