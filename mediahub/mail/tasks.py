"""Mails about the review workflow, sent by the worker (one task per recipient).

The task renders the mail in the recipient's language and sends it,
retrying with backoff. Nobody who turned notification mails off
(``User.email_notifications``) gets one: that is decided when the mail is
sent, so turning them off also stops mails that are already queued. Every
mail says why it came and carries a one-click link to stop them (RFC 8058)."""

from __future__ import annotations

from mediahub.accounts.credit import public_name
from mediahub.accounts.models import User
from mediahub.core import outbound
from mediahub.core.extensions import db
from mediahub.core.mailer import deliver, recipient_locale, render_mail
from mediahub.core.queue import app_task
from mediahub.core.urls import absolute_url
from mediahub.groups.models import Group
from mediahub.groups.policy import is_reviewer
from mediahub.mail.unsubscribe import unsubscribe_url
from mediahub.review.kinds import kind_by_name
from mediahub.review.models import ReviewEvent

#: The mail template for each kind of notification.
TEMPLATES = {
    "submitted": "item_submitted",
    "approved": "item_approved",
    "scheduled": "item_scheduled",
    "changes_requested": "item_changes_requested",
    "rejected": "item_rejected",
    "unpublished": "item_unpublished",
}


def _item_link(event: ReviewEvent, kind: str) -> str:
    item_kind = kind_by_name(event.item_type)
    if kind == "submitted":
        return absolute_url("review.review_item", kind=item_kind, item_id=event.item_id)
    return absolute_url("review.show_item", kind=item_kind, item_id=event.item_id)


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
