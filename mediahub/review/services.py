"""The review workflow: one function per action. Callers own the transaction.

Every transition checks the state against the table in ``workflow``, writes
a ``ReviewEvent`` and sends a signal. Permission checks belong to the caller
(see ``policy``): these functions trust that ``actor`` may act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import selectinload

from mediahub.accounts.models import User
from mediahub.core import signals
from mediahub.core.errors import Conflict, InvalidInput, NotFound
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.core.values import bounded_datetime
from mediahub.groups.models import Group
from mediahub.groups.policy import is_reviewer
from mediahub.review import policy
from mediahub.review.diff import FieldDiff, compare
from mediahub.review.kinds import Reviewable, kind_by_name, kind_of, kinds
from mediahub.review.models import ReviewEvent
from mediahub.review.workflow import TRANSITIONS, ItemState, ReviewAction

MAX_COMMENT = 5000
#: The editors' decisions: each keeps a snapshot of what they saw.
_DECISIONS = frozenset({ReviewAction.APPROVE, ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT})

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
    item: Reviewable,
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
    if action in _DECISIONS:
        # What the editor saw, so the next review shows what changed since.
        item.review_snapshot = {
            "at": utcnow().isoformat(),
            "fields": kind_of(item).snapshot(item),
        }
    if to_state is not None:
        item.status = to_state
    db.session.flush()
    return event


@dataclass(frozen=True)
class Changes:
    """What changed in an item since the editors' last decision on it."""

    decided_at: dt.datetime | None
    fields: list[FieldDiff]


def changes_since_review(item: Reviewable) -> Changes | None:
    """The fields that changed since the last decision; None before the first one."""
    snapshot = item.review_snapshot
    if not isinstance(snapshot, dict) or not isinstance(snapshot.get("fields"), dict):
        return None
    old = {k: v for k, v in snapshot["fields"].items() if isinstance(v, str)}
    kind = kind_of(item)
    labels = [(key, str(label)) for key, label in kind.compared]
    diffs = [d for d in compare(old, kind.snapshot(item), labels) if d.changed]
    try:
        decided_at: dt.datetime | None = dt.datetime.fromisoformat(str(snapshot.get("at")))
    except ValueError:
        decided_at = None
    return Changes(decided_at, diffs)


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


def submit(item: Reviewable, actor: User) -> ReviewEvent:
    """Send an item to the group's editors."""
    kind_of(item).check_submittable(item)
    event = _transition(item, ReviewAction.SUBMIT, actor, ItemState.IN_REVIEW)
    item.submitted_at = utcnow()
    signals.item_submitted.send(item, actor=actor, event=event)
    return event


def approve(
    item: Reviewable,
    actor: User,
    *,
    comment: str = "",
    publish_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> ReviewEvent:
    """Publish now, or schedule for ``publish_at`` when that lies ahead (the
    review's receivers ask the queue to publish it then)."""
    now = now or utcnow()
    kind_of(item).check_approvable(item)
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
    if not scheduled:
        _mark_published(item, now, actor, event)
    return event


def _mark_published(
    item: Reviewable, when: dt.datetime, actor: User | None, event: ReviewEvent
) -> None:
    # A re-published item keeps its first date, so podcast apps do not see it
    # as new again (the guid stays the same as well).
    item.published_at = item.published_at or when
    db.session.flush()
    signals.item_published.send(item, actor=actor, event=event)


def request_changes(item: Reviewable, actor: User, *, comment: str) -> ReviewEvent:
    comment = _clean_comment(comment, required=True)
    event = _transition(
        item, ReviewAction.REQUEST_CHANGES, actor, ItemState.CHANGES_REQUESTED, comment=comment
    )
    signals.item_reviewed.send(item, actor=actor, event=event)
    return event


def reject(item: Reviewable, actor: User, *, comment: str = "") -> ReviewEvent:
    comment = _clean_comment(comment, required=False)
    event = _transition(item, ReviewAction.REJECT, actor, ItemState.REJECTED, comment=comment)
    signals.item_reviewed.send(item, actor=actor, event=event)
    return event


def decide(
    item: Reviewable,
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


def publish_scheduled(item: Reviewable, *, now: dt.datetime | None = None) -> ReviewEvent | None:
    """Publish a scheduled item whose time has come (the scheduler's action)."""
    now = now or utcnow()
    if item.status != ItemState.SCHEDULED or item.publish_at is None or item.publish_at > now:
        return None
    when = item.publish_at
    event = _transition(item, ReviewAction.PUBLISH, None, ItemState.PUBLISHED)
    _mark_published(item, when, None, event)
    return event


def unpublish(item: Reviewable, actor: User, *, comment: str = "") -> ReviewEvent:
    comment = _clean_comment(comment, required=False)
    event = _transition(item, ReviewAction.UNPUBLISH, actor, ItemState.ARCHIVED, comment=comment)
    item.publish_at = None
    signals.item_unpublished.send(item, actor=actor, event=event)
    return event


def delete(item: Reviewable, actor: User) -> ReviewEvent:
    """Remove an item that is not online; the audit row stays."""
    event = _transition(item, ReviewAction.DELETE, actor, None)
    signals.item_deleted.send(item, actor=actor, event=event)
    db.session.delete(item)
    db.session.flush()
    return event


def withdraw(item: Reviewable, actor: User) -> ReviewEvent:
    """The author takes an item back from the editors (→ draft) to change it."""
    event = _transition(item, ReviewAction.WITHDRAW, actor, ItemState.DRAFT)
    signals.item_withdrawn.send(item, actor=actor, event=event)
    return event


def _events_of(item_type: str, item_id: int) -> ColumnElement[bool]:
    return and_(ReviewEvent.item_type == item_type, ReviewEvent.item_id == item_id)


def history_for(item_type: str, item_id: int) -> list[ReviewEvent]:
    """The audit trail of one item, oldest first (also after the item is gone)."""
    stmt = (
        select(ReviewEvent)
        .where(_events_of(item_type, item_id))
        .order_by(ReviewEvent.created_at, ReviewEvent.id)
    )
    return list(db.session.scalars(stmt))


def forget_history(item_type: str, item_id: int) -> None:
    """Delete an item's audit trail (its author's account is being deleted)."""
    db.session.execute(sql_delete(ReviewEvent).where(_events_of(item_type, item_id)))


def history(item: Reviewable) -> list[ReviewEvent]:
    return history_for(item.item_type, item.id)


def latest_decision(item: Reviewable) -> ReviewEvent | None:
    """The last editor decision, to show the author its comment."""
    decisions = {ReviewAction.APPROVE, ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT}
    for event in reversed(history(item)):
        if event.action in decisions:
            return event
    return None


def group_items(model: type[Any], group: Group, user: User | None) -> Select[Any]:
    """A group's items of one kind as this person may list them: published ones
    for everybody, plus their own and, for the group's reviewers, all others;
    newest first (a statement: the API pages it in the database)."""
    stmt = select(model).where(model.group_id == group.id)
    if not is_reviewer(user, group):
        visible = model.status == ItemState.PUBLISHED
        stmt = stmt.where(or_(visible, model.author_id == user.id) if user else visible)
    return stmt.order_by(model.created_at.desc(), model.id.desc())


def load_item(model: type[Any], item_id: int, user: User | None) -> Any:
    """The item if this person may see it.

    Raises:
        NotFound: no such item, or not visible to ``user`` (no leaks).
    """
    item = db.session.get(model, item_id)
    if item is None or not policy.can_view_item(user, item):
        raise NotFound(_l("This item does not exist (or is not visible to you)."))
    return item


def _loaded(rows: Sequence[tuple[str, int]]) -> list[Reviewable]:
    """The items named by ``(item_type, id)`` rows, in the rows' order
    (one query per kind that appears)."""
    ids: dict[str, list[int]] = {}
    for item_type, item_id in rows:
        ids.setdefault(item_type, []).append(item_id)
    found: dict[tuple[str, int], Reviewable] = {}
    for item_type, wanted in ids.items():
        model = kind_by_name(item_type).model
        # Their group and author in one query each, not one per item shown.
        stmt = select(model).where(model.id.in_(wanted))
        stmt = stmt.options(
            *(
                selectinload(getattr(model, rel))
                for rel in ("group", "author")
                if hasattr(model, rel)
            )
        )
        for item in db.session.scalars(stmt):
            found[(item_type, item.id)] = item
    return [found[(t, i)] for t, i in rows if (t, i) in found]


def _across_kinds(
    where: Callable[[Any], ColumnElement[bool]], *order: Callable[[Any], Any]
) -> Select[Any]:
    """One UNION ALL over every registered kind: ``(item_type, id)`` of the
    items that match ``where(model)``, with the ``order`` columns as sort keys."""
    parts = [
        select(
            literal(kind.name).label("item_type"),
            kind.model.id.label("id"),
            *(key(kind.model).label(f"k{n}") for n, key in enumerate(order)),
        ).where(where(kind.model))
        for kind in kinds()
    ]
    return union_all(*parts).subquery().select()


def review_queue(user: User, *, limit: int | None = None, offset: int = 0) -> list[Reviewable]:
    """Items in review that this person may decide on, oldest first: one query
    over every kind, with the permission (``policy.reviewable_by``) in SQL;
    ``limit``/``offset`` for one page of a long queue (a hub editor's)."""
    union = _across_kinds(
        lambda m: and_(m.status == ItemState.IN_REVIEW, policy.reviewable_by(user, m)),
        lambda m: func.coalesce(m.submitted_at, m.created_at),
    ).subquery()
    stmt = select(union.c.item_type, union.c.id).order_by(union.c.k0, union.c.item_type, union.c.id)
    stmt = stmt.limit(limit).offset(offset)
    return _loaded([(str(row[0]), int(row[1])) for row in db.session.execute(stmt)])


def review_queue_size(user: User) -> int:
    """How many items wait for this person's decision (one counting query)."""
    union = _across_kinds(
        lambda m: and_(m.status == ItemState.IN_REVIEW, policy.reviewable_by(user, m))
    ).subquery()
    return db.session.scalar(select(func.count()).select_from(union)) or 0


def items_by_author(user: User) -> list[Reviewable]:
    """A person's own items of every kind, most recently changed first."""
    union = _across_kinds(lambda m: m.author_id == user.id, lambda m: m.updated_at).subquery()
    stmt = select(union.c.item_type, union.c.id).order_by(union.c.k0.desc(), union.c.id.desc())
    return _loaded([(str(row[0]), int(row[1])) for row in db.session.execute(stmt)])
