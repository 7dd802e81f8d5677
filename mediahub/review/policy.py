"""Who may do what with an episode or a post.

These predicates answer "who"; whether the item's state allows an action is
the workflow's business (a wrong state is a 409 with its own message).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, true

from mediahub.accounts.credit import public_name
from mediahub.accounts.models import User
from mediahub.core.audience import Audience
from mediahub.groups.models import GroupRole, Membership
from mediahub.groups.policy import can_manage_group, can_view_group, group_audience, is_reviewer
from mediahub.review.kinds import Reviewable
from mediahub.review.workflow import AUTHOR_EDITABLE, ItemState, ReviewAction, allowed


def is_author(user: User | None, item: Reviewable) -> bool:
    return user is not None and item.author_id == user.id


def can_view_item(user: User | None, item: Reviewable) -> bool:
    """Published items are visible wherever their group is; anything else
    only to its author and the group's reviewers."""
    if not can_view_group(user, item.group):
        return False
    return item.is_public or is_author(user, item) or is_reviewer(user, item.group)


def can_edit_item(user: User | None, item: Reviewable) -> bool:
    """Authors change their items until they are sent off for review (or when
    changes were requested, or after unpublishing); reviewers may correct an
    item in any state but rejected."""
    if is_reviewer(user, item.group):
        return item.status != ItemState.REJECTED
    return is_author(user, item) and item.status in AUTHOR_EDITABLE


def can_submit(user: User | None, item: Reviewable) -> bool:
    """The author sends their own item to review (admins may on their behalf)."""
    return is_author(user, item) or (user is not None and user.is_admin)


def can_withdraw(user: User | None, item: Reviewable) -> bool:
    """Whoever may send the item to review may take it back before the
    editors decide: its author (admins on the author's behalf)."""
    return can_submit(user, item)


def can_review(user: User | None, item: Reviewable) -> bool:
    """Reviewers decide on items, but never on their own — except admins,
    whose self-review is recorded in the audit trail."""
    if user is None or not is_reviewer(user, item.group):
        return False
    return not is_author(user, item) or user.is_admin


def reviewable_by(user: User, model: type[Any]) -> ColumnElement[bool]:
    """:func:`can_review` as an SQL condition on ``model``'s rows (the review
    queue asks the database, not every item): a reviewer of the item's group,
    and not its author unless a hub admin."""
    if user.is_hub_editor:
        in_groups: ColumnElement[bool] = true()
    else:
        reviewed = select(Membership.group_id).where(
            Membership.user_id == user.id,
            Membership.role.in_([GroupRole.EDITOR, GroupRole.MANAGER]),
        )
        in_groups = model.group_id.in_(reviewed)
    if user.is_admin:
        return in_groups
    return and_(in_groups, or_(model.author_id.is_(None), model.author_id != user.id))


def can_unpublish(user: User | None, item: Reviewable) -> bool:
    """Reviewers take items offline; so may the author of their own item
    (someone may regret having spoken publicly, and must be able to stop it)."""
    return is_reviewer(user, item.group) or is_author(user, item)


def can_delete(user: User | None, item: Reviewable) -> bool:
    """Authors, group managers and admins delete items that are not online."""
    return is_author(user, item) or can_manage_group(user, item.group)


def can_see_history(user: User | None, item: Reviewable) -> bool:
    """The audit trail (with the editors' comments) is for the author and
    the group's reviewers."""
    return is_author(user, item) or is_reviewer(user, item.group)


def actions_for(user: User | None, item: Reviewable) -> list[str]:
    """What this person can do with the item now (for buttons and apps):
    allowed by the workflow in the item's state *and* by the predicates."""
    checks: dict[ReviewAction, Callable[[User | None, Reviewable], bool]] = {
        ReviewAction.SUBMIT: can_submit,
        ReviewAction.APPROVE: can_review,
        ReviewAction.REQUEST_CHANGES: can_review,
        ReviewAction.REJECT: can_review,
        ReviewAction.UNPUBLISH: can_unpublish,
        ReviewAction.DELETE: can_delete,
        ReviewAction.WITHDRAW: can_withdraw,
    }
    out = [a.value for a, check in checks.items() if allowed(item.status, a) and check(user, item)]
    if can_edit_item(user, item):
        out.insert(0, "edit")
    return out


def item_audience(user: User | None, item: Reviewable) -> Audience:
    """How much of the item this person may see: its author sees what an
    author sees (the editors' comments, the version to edit), the group's
    reviewers and managers their part; everybody else what is public."""
    level = group_audience(user, item.group)
    if is_author(user, item):
        return max(level, Audience.AUTHOR)
    return level


def author_name(user: User | None, item: Reviewable) -> str | None:
    """The item's author as this person may know them.

    The author and the group's reviewers know who wrote it (the display
    name); everybody else only what :func:`~mediahub.accounts.credit.public_name`
    allows: the name of a credited, active account, else nothing.
    """
    author = item.author
    if author is not None and item_audience(user, item) >= Audience.AUTHOR:
        return author.display_name
    return public_name(author)
