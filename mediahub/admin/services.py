"""What administrators do with people and groups: the searchable lists and the
one change that the admin pages and the user-admin API share. Callers own
the transaction."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, text

from mediahub.accounts import email_change
from mediahub.accounts import services as accounts
from mediahub.accounts.models import User
from mediahub.core.errors import NotFound
from mediahub.core.extensions import db
from mediahub.core.search import all_words_in
from mediahub.groups.models import Group

#: The people lists' order: by name whatever its case, then by id (indexed).
PEOPLE_ORDER = (func.lower(User.display_name), User.id)

#: The admins' group list's order (indexed likewise).
GROUPS_ORDER = (func.lower(Group.name), Group.id)


#: Tables larger than this are not counted for the admin start page: it shows
#: PostgreSQL's estimate (counting 200,000 people took most of its 40 ms).
EXACT_UP_TO = 10_000


def row_count(model: Any) -> tuple[int, bool]:
    """How many rows ``model``'s table has, and whether that is exact: on
    PostgreSQL a large table's estimate (from its last ANALYZE), rounded to
    two significant digits; otherwise a count."""
    if db.engine.dialect.name == "postgresql":
        estimate = db.session.scalar(
            text("SELECT reltuples::bigint FROM pg_class WHERE oid = CAST(:t AS regclass)"),
            {"t": model.__tablename__},
        )
        if estimate is not None and estimate > EXACT_UP_TO:
            magnitude = 10 ** max(len(str(estimate)) - 2, 0)
            return round(estimate / magnitude) * magnitude, False
    return db.session.scalar(select(func.count()).select_from(model)) or 0, True


def people_matching(text: str = "") -> Select[User]:
    """Accounts whose name or email address contains every word of ``text``
    (everybody for no text); unordered."""
    return select(User).where(all_words_in((User.display_name, User.email), text))


def groups_matching(text: str = "") -> Select[Group]:
    """Groups whose name or address (slug) contains every word of ``text``
    (all groups for no text); unordered."""
    return select(Group).where(all_words_in((Group.name, Group.slug), text))


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
