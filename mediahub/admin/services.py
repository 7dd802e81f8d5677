"""What administrators do with people: the one list and the one change that
the people page and the user-admin API share. Callers own the transaction."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from mediahub.accounts import email_change
from mediahub.accounts import services as accounts
from mediahub.accounts.models import User
from mediahub.core.errors import NotFound
from mediahub.core.extensions import db


def people_query() -> Select[User]:
    """Everybody with an account, by name (whatever its case), then by id."""
    return select(User).order_by(func.lower(User.display_name), User.id)


def people() -> list[User]:
    """Everybody with an account, in :func:`people_query`'s order."""
    return list(db.session.scalars(people_query()))


def person(user_id: int) -> User:
    """One account.

    Raises:
        NotFound: there is none with this id.
    """
    found = db.session.get(User, user_id)
    if found is None:
        raise NotFound(_l("There is no such person."))
    return found


def change_person(user: User, *, actor: User, email: str | None = None, **changes: Any) -> User:
    """Change an account's address (at once, with a notice to the old one),
    name, hub role or whether it is active."""
    if email is not None:
        email_change.admin_change(user, email, actor=actor)
    accounts.update_user(user, actor=actor, **changes)
    return user
