"""States and transitions of a reviewed item (episode or post).

::

    draft ─submit→ in_review ─approve→ published            (publish_at ≤ now)
                       │      └approve→ scheduled ─publish→ published
                       ├─request_changes→ changes_requested ─submit→ in_review
                       └─reject→ rejected
    published ─unpublish→ archived ─submit→ in_review
    scheduled ─unpublish→ archived

``delete`` is allowed from every state but ``published`` and ``scheduled``
(take it offline first), and removes the item.
"""

from __future__ import annotations

import enum


class ItemState(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"


class ReviewAction(enum.StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    PUBLISH = "publish"  # the scheduler, when a scheduled item is due
    UNPUBLISH = "unpublish"
    DELETE = "delete"


S, A = ItemState, ReviewAction

#: (state, action) → the states the action may lead to. ``approve`` leads to
#: ``published`` or ``scheduled`` depending on ``publish_at``.
TRANSITIONS: dict[tuple[ItemState, ReviewAction], frozenset[ItemState]] = {
    (S.DRAFT, A.SUBMIT): frozenset({S.IN_REVIEW}),
    (S.CHANGES_REQUESTED, A.SUBMIT): frozenset({S.IN_REVIEW}),
    (S.ARCHIVED, A.SUBMIT): frozenset({S.IN_REVIEW}),
    (S.IN_REVIEW, A.APPROVE): frozenset({S.PUBLISHED, S.SCHEDULED}),
    (S.IN_REVIEW, A.REQUEST_CHANGES): frozenset({S.CHANGES_REQUESTED}),
    (S.IN_REVIEW, A.REJECT): frozenset({S.REJECTED}),
    (S.SCHEDULED, A.PUBLISH): frozenset({S.PUBLISHED}),
    (S.PUBLISHED, A.UNPUBLISH): frozenset({S.ARCHIVED}),
    (S.SCHEDULED, A.UNPUBLISH): frozenset({S.ARCHIVED}),
}
for _state in ItemState:
    if _state not in {S.PUBLISHED, S.SCHEDULED}:
        TRANSITIONS[(_state, A.DELETE)] = frozenset()

#: States in which the author may still change the item.
AUTHOR_EDITABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.ARCHIVED})
#: States visible to the public.
PUBLIC_STATES = frozenset({S.PUBLISHED})


def allowed(state: ItemState, action: ReviewAction) -> bool:
    return (state, action) in TRANSITIONS


def actions_from(state: ItemState) -> list[ReviewAction]:
    return [a for (s, a) in TRANSITIONS if s == state]
