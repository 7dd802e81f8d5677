"""Mails about the review workflow, triggered by the workflow's signals.

Receivers run inside the request's transaction: they only decide who is told
and enqueue one task per recipient after commit (``tasks.send_notification``).

Who is told:
- every submission: the group's editors and managers; when the group has
  none, the hub's editors and administrators (someone must see it);
- every editor decision (approved now or scheduled, changes requested with
  the comment, declined) and an editor taking an item offline: its author.
Nobody is told about their own action, nor anybody who turned notification
mails off (``User.email_notifications``). That is decided when the mail is
sent, so turning them off also stops mails that are already queued. Every
mail says why it came and carries a one-click link to stop them (RFC 8058).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from mediahub.accounts.models import HubRole, User
from mediahub.core import signals
from mediahub.core.extensions import db
from mediahub.core.queue import enqueue_after_commit
from mediahub.groups.models import GroupRole, Membership
from mediahub.mail.tasks import send_notification
from mediahub.review.kinds import Reviewable
from mediahub.review.models import ReviewEvent
from mediahub.review.workflow import ItemState, ReviewAction


def reviewers_to_notify(item: Reviewable, actor: User | None) -> list[User]:
    """The group's editors and managers, else the hub's editors and admins."""
    stmt = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == item.group_id,
            Membership.role.in_([GroupRole.EDITOR, GroupRole.MANAGER]),
        )
    )
    people = list(db.session.scalars(stmt))
    if not people:
        hub = select(User).where(User.hub_role.in_([HubRole.EDITOR, HubRole.ADMIN]))
        people = list(db.session.scalars(hub))
    return [p for p in people if p.is_active and (actor is None or p.id != actor.id)]


def _tell(kind: str, event: ReviewEvent, people: list[User]) -> None:
    for person in people:
        enqueue_after_commit(db.session, send_notification, kind, event.id, person.id)


def _author(item: Reviewable, actor: User | None) -> list[User]:
    author = item.author
    if author is None or not author.is_active or (actor is not None and actor.id == author.id):
        return []
    return [author]


def _on_submitted(
    item: Reviewable, *, actor: User | None = None, event: Any = None, **_: Any
) -> None:
    _tell("submitted", event, reviewers_to_notify(item, actor))


_DECISIONS = {
    (ReviewAction.APPROVE, ItemState.PUBLISHED): "approved",
    (ReviewAction.APPROVE, ItemState.SCHEDULED): "scheduled",
    (ReviewAction.REQUEST_CHANGES, ItemState.CHANGES_REQUESTED): "changes_requested",
    (ReviewAction.REJECT, ItemState.REJECTED): "rejected",
}


def _on_reviewed(item: Any, *, actor: User | None = None, event: Any = None, **_: Any) -> None:
    kind = _DECISIONS.get((event.action, event.to_state))
    if kind:
        _tell(kind, event, _author(item, actor))


def _on_unpublished(item: Any, *, actor: User | None = None, event: Any = None, **_: Any) -> None:
    _tell("unpublished", event, _author(item, actor))


def init_app(app: Flask) -> None:
    """Connect the receivers (idempotent: blinker keeps one per function)."""
    signals.item_submitted.connect(_on_submitted)
    signals.item_reviewed.connect(_on_reviewed)
    signals.item_unpublished.connect(_on_unpublished)
