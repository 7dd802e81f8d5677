"""Who may see a picture that was uploaded for a blog post."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mediahub.accounts.models import User
from mediahub.groups.policy import can_view_group, is_reviewer
from mediahub.review.policy import can_view_item


def is_public_picture(showing: Iterable[Any]) -> bool:
    """Whether a published post shows the picture (``showing``: the posts
    whose text names it)."""
    return any(post.is_public for post in showing)


def can_view_picture(
    user: User | None, group: Any, uploader_id: int | None, showing: Iterable[Any]
) -> bool:
    """A picture is seen by whoever may see a post that shows it: once such a
    post is published, everyone who may see the group; before, only the
    person who uploaded it, the group's reviewers and whoever may read a
    draft that shows it (its author). Without a login, a picture inserted
    into a draft cannot be reached."""
    if not can_view_group(user, group):
        return False
    if user is not None and (uploader_id == user.id or is_reviewer(user, group)):
        return True
    return any(can_view_item(user, post) for post in showing)
