"""Who may do what with people's accounts (``user`` is None for anonymous visitors)."""

from __future__ import annotations

from mediahub.accounts.models import User


def can_manage_people(user: User | None) -> bool:
    """Hub administrators create accounts and change other people's address,
    hub role and whether their account is active; nobody else does."""
    return user is not None and user.is_admin
