"""The review workflow: one function per action. Callers own the transaction.

Every transition checks the state against the table in ``workflow``, writes
a ``ReviewEvent`` and sends a signal. Permission checks belong to the caller
(see ``policy``): these functions trust that ``actor`` may act.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from mediahub.accounts.models import User
from mediahub.core import signals
from mediahub.core.errors import Conflict, InvalidInput, NotFound
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.core.values import bounded_datetime
from mediahub.review import policy
from mediahub.review.models import ReviewEvent
from mediahub.review.workflow import TRANSITIONS, ItemState, ReviewAction

MAX_COMMENT = 5000

_STATE_NAMES = {
    ItemState.DRAFT: _l("a draft"),
    ItemState.IN_REVIEW: _l("in review"),
    ItemState.CHANGES_REQUESTED: _l("waiting for changes"),
    ItemState.SCHEDULED: _l("scheduled"),
    ItemState.PUBLISHED: _l("published"),
    ItemState.REJECTED: _l("rejected"),
    ItemState.ARCHIVED: _l("taken offline"),
}


def state_label(state: ItemState) -> Any:
    return _STATE_NAMES[state]


def _transition(
    item: Any,
    action: ReviewAction,
    actor: User | None,
    to_state: ItemState | None,
    *,
    comment: str = "",
    publish_at: dt.datetime | None = None,
) -> ReviewEvent:
    from_state = item.status
    targets = TRANSITIONS.get((from_state, action))
    if targets is None or (to_state is not None and to_state not in targets):
        raise Conflict(
            _l("This cannot be done while the item is %(state)s.", state=state_label(from_state)),
            code="invalid_state",
        )
    event = ReviewEvent(
        item_type=item.item_type,
        item_id=item.id,
        item_title=item.title,
        group_id=item.group_id,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        publish_at=publish_at,
        is_self_review=actor is not None
        and action == ReviewAction.APPROVE
        and item.author_id == actor.id,
    )
    db.session.add(event)
    if to_state is not None:
        item.status = to_state
    db.session.flush()
    return event


def _clean_comment(comment: str | None, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise InvalidInput(_l("Please tell the author what to change."), field="comment")
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(
            _l("The comment is too long (at most %(n)d characters).", n=MAX_COMMENT),
            field="comment",
        )
    return comment


def submit(item: Any, actor: User) -> ReviewEvent:
    """Send an item to the group's editors."""
    from mediahub.episodes.models import Episode

    if isinstance(item, Episode) and item.audio is None:
        raise Conflict(
            _l("Please add the audio before sending the episode to review."), code="audio_missing"
        )
    event = _transition(item, ReviewAction.SUBMIT, actor, ItemState.IN_REVIEW)
    item.submitted_at = utcnow()
    signals.item_submitted.send(item, actor=actor, event=event)
    return event


def approve(
    item: Any,
    actor: User,
    *,
    comment: str = "",
    publish_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> ReviewEvent:
    """Publish now, or schedule for ``publish_at`` when that lies ahead."""
    from mediahub.episodes.models import Episode
    from mediahub.media.models import AssetState

    now = now or utcnow()
    if isinstance(item, Episode) and (item.audio is None or item.audio.status != AssetState.READY):
        raise Conflict(
            _l("The audio is not ready yet; it can be approved once processing has finished."),
            code="audio_not_ready",
        )
    if publish_at is not None and publish_at.tzinfo is None:
        raise InvalidInput(_l("The publication time needs a time zone."), field="publish_at")
    if publish_at is not None:
        publish_at = bounded_datetime(publish_at, field="publish_at")
    comment = _clean_comment(comment, required=False)
    scheduled = publish_at is not None and publish_at > now
    target = ItemState.SCHEDULED if scheduled else ItemState.PUBLISHED
    event = _transition(
        item, ReviewAction.APPROVE, actor, target, comment=comment, publish_at=publish_at
    )
    item.publish_at = publish_at if scheduled else None
    signals.item_reviewed.send(item, actor=actor, event=event)
    if scheduled:
        from mediahub.review.tasks import schedule_publication

        schedule_publication(item)
    else:
        _mark_published(item, now, actor, event)
    return event


def _mark_published(item: Any, when: dt.datetime, actor: User | None, event: ReviewEvent) -> None:
    # A re-published item keeps its first date, so podcast apps do not see it
    # as new again (the guid stays the same as well).
    item.published_at = item.published_at or when
    db.session.flush()
    signals.item_published.send(item, actor=actor, event=event)


def request_changes(item: Any, actor: User, *, comment: str) -> ReviewEvent:
    comment = _clean_comment(comment, required=True)
    event = _transition(
        item, ReviewAction.REQUEST_CHANGES, actor, ItemState.CHANGES_REQUESTED, comment=comment
    )
    signals.item_reviewed.send(item, actor=actor, event=event)
    return event


def reject(item: Any, actor: User, *, comment: str = "") -> ReviewEvent:
    comment = _clean_comment(comment, required=False)
    event = _transition(item, ReviewAction.REJECT, actor, ItemState.REJECTED, comment=comment)
    signals.item_reviewed.send(item, actor=actor, event=event)
    return event


def decide(
    item: Any,
    actor: User,
    decision: str,
    *,
    comment: str = "",
    publish_at: dt.datetime | None = None,
) -> ReviewEvent:
    """Dispatch an editor's decision (``approve``, ``request_changes``, ``reject``)."""
    if decision == ReviewAction.APPROVE:
        return approve(item, actor, comment=comment, publish_at=publish_at)
    if publish_at is not None:
        raise InvalidInput(_l("A publication time only goes with approval."), field="publish_at")
    if decision == ReviewAction.REQUEST_CHANGES:
        return request_changes(item, actor, comment=comment)
    if decision == ReviewAction.REJECT:
        return reject(item, actor, comment=comment)
    raise InvalidInput(
        _l("Unknown decision; use approve, request_changes or reject."), field="decision"
    )


def publish_scheduled(item: Any, *, now: dt.datetime | None = None) -> ReviewEvent | None:
    """Publish a scheduled item whose time has come (the scheduler's action)."""
    now = now or utcnow()
    if item.status != ItemState.SCHEDULED or item.publish_at is None or item.publish_at > now:
        return None
    when = item.publish_at
    event = _transition(item, ReviewAction.PUBLISH, None, ItemState.PUBLISHED)
    _mark_published(item, when, None, event)
    return event


def unpublish(item: Any, actor: User, *, comment: str = "") -> ReviewEvent:
    comment = _clean_comment(comment, required=False)
    event = _transition(item, ReviewAction.UNPUBLISH, actor, ItemState.ARCHIVED, comment=comment)
    item.publish_at = None
    signals.item_unpublished.send(item, actor=actor, event=event)
    return event


def delete(item: Any, actor: User) -> ReviewEvent:
    """Remove an item that is not online; the audit row stays."""
    event = _transition(item, ReviewAction.DELETE, actor, None)
    signals.item_deleted.send(item, actor=actor, event=event)
    db.session.delete(item)
    db.session.flush()
    return event


def history(item: Any) -> list[ReviewEvent]:
    return list(
        db.session.scalars(
            select(ReviewEvent)
            .where(ReviewEvent.item_type == item.item_type, ReviewEvent.item_id == item.id)
            .order_by(ReviewEvent.created_at, ReviewEvent.id)
        )
    )


def latest_decision(item: Any) -> ReviewEvent | None:
    """The last editor decision, to show the author its comment."""
    decisions = {ReviewAction.APPROVE, ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT}
    for event in reversed(history(item)):
        if event.action in decisions:
            return event
    return None


def item_classes() -> dict[str, Any]:
    """The reviewable item classes by their ``item_type``."""
    from mediahub.episodes.models import Episode
    from mediahub.posts.models import Post

    return {"episode": Episode, "post": Post}


def group_items(cls: Any, group: Any, user: User | None) -> list[Any]:
    """A group's items of one kind as this person may list them: published ones
    for everybody, plus their own and, for the group's reviewers, all others;
    newest first."""
    from mediahub.groups.policy import is_reviewer

    stmt = select(cls).where(cls.group_id == group.id)
    if not is_reviewer(user, group):
        visible = cls.status == ItemState.PUBLISHED
        stmt = stmt.where(or_(visible, cls.author_id == user.id) if user else visible)
    return list(db.session.scalars(stmt.order_by(cls.created_at.desc(), cls.id.desc())))


def load_item(cls: Any, item_id: int, user: User | None) -> Any:
    """The item if this person may see it.

    Raises:
        NotFound: no such item, or not visible to ``user`` (no leaks).
    """
    item = db.session.get(cls, item_id)
    if item is None or not policy.can_view_item(user, item):
        raise NotFound(_l("This item does not exist (or is not visible to you)."))
    return item


def review_queue(user: User) -> list[Any]:
    """Episodes and posts in review that this person may decide on, oldest first."""
    items: list[Any] = []
    for cls in item_classes().values():
        stmt = select(cls).where(cls.status == ItemState.IN_REVIEW)
        items.extend(i for i in db.session.scalars(stmt) if policy.can_review(user, i))
    return sorted(items, key=lambda i: (i.submitted_at or i.created_at, i.item_type, i.id))


def items_by_author(user: User) -> list[Any]:
    """A person's own episodes and posts, most recently changed first."""
    items: list[Any] = []
    for cls in item_classes().values():
        items.extend(db.session.scalars(select(cls).where(cls.author_id == user.id)))
    return sorted(items, key=lambda i: (i.updated_at, i.id), reverse=True)
