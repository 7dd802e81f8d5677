"""Who may see listener statistics. ``user`` is None for anonymous visitors."""

from __future__ import annotations

from mediahub.accounts.models import User
from mediahub.groups.models import Group, GroupRole, Visibility
from mediahub.groups.policy import role_in


def can_view_group_stats(user: User | None, group: Group) -> bool:
    """A group's figures: its managers and editors, and hub admins. A private
    group's figures count the listeners its managers handed addresses to, so
    only its managers (and hub admins) see them. Hub editors review every
    group's items but see no group's audience."""
    if user is None:
        return False
    if user.is_admin:
        return True
    role = role_in(user, group)
    if role == GroupRole.MANAGER:
        return True
    return role == GroupRole.EDITOR and group.visibility != Visibility.PRIVATE


def can_view_hub_stats(user: User | None) -> bool:
    """The whole hub's figures, groups ranked: hub admins only."""
    return user is not None and user.is_admin


def groups_with_stats(user: User | None) -> list[Group]:
    """The groups whose statistics this person may see (for navigation)."""
    if user is None:
        return []
    return [m.group for m in user.memberships if can_view_group_stats(user, m.group)]
