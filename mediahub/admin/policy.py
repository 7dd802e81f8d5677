"""Who may use the administration (people, groups, texts, health)."""

from __future__ import annotations

from mediahub.accounts.models import User


def can_administer(user: User | None) -> bool:
    """Hub administrators run the hub: its people, groups, texts and health."""
    return user is not None and user.is_admin
