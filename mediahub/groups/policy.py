"""Who may see and change a group. ``user`` is None for anonymous visitors."""

from __future__ import annotations

from mediahub.accounts.models import User
from mediahub.core.audience import Audience
from mediahub.groups.models import Group, GroupRole, Visibility


def role_in(user: User | None, group: Group) -> GroupRole | None:
    """The user's role in this group, or None."""
    if user is None:
        return None
    for m in user.memberships:
        if m.group_id == group.id:
            return m.role
    return None


def can_view_group(user: User | None, group: Group) -> bool:
    """Public and unlisted groups are open to all; private ones to their
    members and the hub's editors and admins (others get a 404, not a 403,
    so that a private group's existence does not leak)."""
    if group.visibility != Visibility.PRIVATE:
        return True
    return user is not None and (user.is_hub_editor or role_in(user, group) is not None)


def can_create_group(user: User | None) -> bool:
    """Only hub admins found groups."""
    return user is not None and user.is_admin


def can_manage_group(user: User | None, group: Group) -> bool:
    """Settings and memberships: the group's managers and hub admins."""
    return user is not None and (user.is_admin or role_in(user, group) == GroupRole.MANAGER)


def can_create_items(user: User | None, group: Group) -> bool:
    """Every member of the group may write episodes and posts; admins too."""
    return user is not None and (user.is_admin or role_in(user, group) is not None)


def is_reviewer(user: User | None, group: Group) -> bool:
    """Group editors and managers, hub editors and admins review a group's items."""
    if user is None:
        return False
    return user.is_hub_editor or role_in(user, group) in {GroupRole.EDITOR, GroupRole.MANAGER}


def can_change_member(user: User | None, group: Group, member: User) -> bool:
    """Managers change others' roles and memberships, not their own (so that a
    group never loses its last manager by a slip); hub admins change anyone's."""
    if user is None or not can_manage_group(user, group):
        return False
    return user.is_admin or user.id != member.id


def reviews_anywhere(user: User | None) -> bool:
    """Whether this person reviews for at least one group (for navigation)."""
    if user is None:
        return False
    return user.is_hub_editor or any(
        m.role in {GroupRole.EDITOR, GroupRole.MANAGER} for m in user.memberships
    )


def group_audience(user: User | None, group: Group) -> Audience:
    """How much of the group this person may see (``None``: anonymous):
    its managers and hub admins everything, its reviewers the editors'
    part, its members theirs, everybody else what is public."""
    if can_manage_group(user, group):
        return Audience.MANAGER
    if is_reviewer(user, group):
        return Audience.EDITOR
    if role_in(user, group) is not None:
        return Audience.MEMBER
    return Audience.PUBLIC
