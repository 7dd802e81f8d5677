"""Who may do what with a group's fediverse presence."""

from __future__ import annotations

from mediahub.accounts.models import User
from mediahub.groups.models import Group
from mediahub.groups.policy import can_manage_group, is_reviewer


def can_set_presence(user: User | None, group: Group) -> bool:
    """The group's managers (and admins) switch the presence and replies on or off."""
    return can_manage_group(user, group)


def can_moderate(user: User | None, group: Group) -> bool:
    """The group's editors decide on replies and block accounts or servers."""
    return is_reviewer(user, group)
