"""Mails about the review workflow, triggered by the workflow's signals.

Receivers run inside the request's transaction: they only decide who is told
and enqueue one task per recipient after commit. The task renders the mail
in the recipient's language and sends it, retrying with backoff.

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

from sqlalchemy import select

from mediahub.accounts.credit import public_name
from mediahub.accounts.models import HubRole, User
from mediahub.core import outbound, signals
from mediahub.core.extensions import db
from mediahub.core.queue import app_task, enqueue_after_commit
from mediahub.core.urls import absolute_url
from mediahub.groups.models import Group, GroupRole, Membership
from mediahub.groups.policy import is_reviewer
from mediahub.mail.sender import deliver, recipient_locale, render_mail
from mediahub.mail.unsubscribe import unsubscribe_url
from mediahub.review.models import ReviewEvent
from mediahub.review.workflow import ItemState, ReviewAction

#: The mail template for each kind of notification.
TEMPLATES = {
    "submitted": "item_submitted",
    "approved": "item_approved",
    "scheduled": "item_scheduled",
    "changes_requested": "item_changes_requested",
    "rejected": "item_rejected",
    "unpublished": "item_unpublished",
}


def reviewers_to_notify(item: Any, actor: User | None) -> list[User]:
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


def _author(item: Any, actor: User | None) -> list[User]:
    author = item.author
    if author is None or not author.is_active or (actor is not None and actor.id == author.id):
        return []
    return [author]


@signals.item_submitted.connect
def _on_submitted(item: Any, *, actor: User | None = None, event: Any = None, **_: Any) -> None:
    _tell("submitted", event, reviewers_to_notify(item, actor))


_DECISIONS = {
    (ReviewAction.APPROVE, ItemState.PUBLISHED): "approved",
    (ReviewAction.APPROVE, ItemState.SCHEDULED): "scheduled",
    (ReviewAction.REQUEST_CHANGES, ItemState.CHANGES_REQUESTED): "changes_requested",
    (ReviewAction.REJECT, ItemState.REJECTED): "rejected",
}


@signals.item_reviewed.connect
def _on_reviewed(item: Any, *, actor: User | None = None, event: Any = None, **_: Any) -> None:
    kind = _DECISIONS.get((event.action, event.to_state))
    if kind:
        _tell(kind, event, _author(item, actor))


@signals.item_unpublished.connect
def _on_unpublished(item: Any, *, actor: User | None = None, event: Any = None, **_: Any) -> None:
    _tell("unpublished", event, _author(item, actor))


def _item_link(event: ReviewEvent, kind: str) -> str:
    collection = f"{event.item_type}s"
    if kind == "submitted":
        return absolute_url("review.review_item", collection=collection, item_id=event.item_id)
    return absolute_url(f"{collection}.show_{event.item_type}", item_id=event.item_id)


def _actor_name(event: ReviewEvent, person: User, group: Group | None) -> str | None:
    """Who acted, as the recipient may know them: the group's reviewers know
    its members; anybody else learns only what ``public_name`` allows."""
    actor = event.actor
    if actor is not None and group is not None and is_reviewer(person, group):
        return outbound.line(actor.display_name)
    return outbound.line(public_name(actor)) or None


@app_task(retries=6, retry_delay=30, retry_backoff=2)
def send_notification(kind: str, event_id: int, user_id: int) -> None:
    """Render and send one notification (retried with backoff: 30 s, 1 min, 2 min…)."""
    event = db.session.get(ReviewEvent, event_id)
    person = db.session.get(User, user_id)
    if event is None or person is None or kind not in TEMPLATES:
        return
    if not person.is_active or not person.email_notifications:
        return
    group = db.session.get(Group, event.group_id) if event.group_id else None
    mail = render_mail(
        TEMPLATES[kind],
        person.email,
        recipient_locale(person),
        event=event,
        # What members wrote, as plain text: one line each, the comment a block.
        name=outbound.line(person.display_name),
        title=outbound.line(event.item_title),
        comment=outbound.text_block(event.comment),
        group_name=outbound.line(group.name) if group else "",
        actor_name=_actor_name(event, person, group),
        link=_item_link(event, kind),
        as_reviewer=kind == "submitted",
        unsubscribe_url=unsubscribe_url(person),
    )
    deliver(mail)
