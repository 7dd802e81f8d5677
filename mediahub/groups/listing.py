"""Which groups may appear in a list, and for whom: one condition for all.

Every list of groups or of their items — the API's group list, the hub's
directory and its search, the newest episodes and posts on the start page,
the sitemap, the hub-wide feeds — shows a group only to readers who may
*find* it: public groups to everybody, unlisted and private groups only to
their own members and to the hub's editors and administrators. Everybody
else reaches an unlisted group only by its address (its slug), and a
private one not at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select, true

from mediahub.accounts.models import User
from mediahub.groups.models import Group, Membership, Visibility


def is_listed(group: Any) -> bool:
    """Whether outsiders may find the group in lists, feeds of the hub and
    search engines (public groups only)."""
    return group.visibility == Visibility.PUBLIC


def listed_for(user: User | None = None) -> ColumnElement[bool]:
    """The SQL condition on ``Group`` for the groups ``user`` may find in a
    list; ``None`` (the default) for lists everybody sees alike."""
    listed = Group.visibility == Visibility.PUBLIC
    if user is None:
        return listed
    if user.is_hub_editor:
        return true()
    own = select(Membership.group_id).where(Membership.user_id == user.id)
    return or_(listed, Group.id.in_(own))
