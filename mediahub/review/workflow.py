"""States and transitions of a reviewed item (episode or post).

::

    draft ─submit→ in_review ─approve→ published            (publish_at ≤ now)
                       │      └approve→ scheduled ─publish→ published
                       ├─request_changes→ changes_requested ─submit→ in_review
                       ├─reject→ rejected
                       └─withdraw→ draft                    (the author takes it back)
    published ─unpublish→ archived ─submit→ in_review
    scheduled ─unpublish→ archived

``delete`` is allowed from every state but ``published`` and ``scheduled``
(take it offline first), and removes the item.
"""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.core import labels


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
    WITHDRAW = "withdraw"  # the author takes it back from the editors to change it


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
    (S.IN_REVIEW, A.WITHDRAW): frozenset({S.DRAFT}),
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


labels.register(
    ItemState,
    {
        ItemState.DRAFT: _l("Draft"),
        ItemState.IN_REVIEW: _l("In review"),
        ItemState.CHANGES_REQUESTED: _l("Changes requested"),
        ItemState.SCHEDULED: _l("Scheduled"),
        ItemState.PUBLISHED: _l("Published"),
        ItemState.REJECTED: _l("Not accepted"),
        ItemState.ARCHIVED: _l("Offline"),
    },
)

labels.register(
    ReviewAction,
    {
        ReviewAction.SUBMIT: _l("Sent to the editors"),
        ReviewAction.APPROVE: _l("Approved"),
        ReviewAction.REQUEST_CHANGES: _l("Changes requested"),
        ReviewAction.REJECT: _l("Not accepted"),
        ReviewAction.PUBLISH: _l("Published at the planned time"),
        ReviewAction.UNPUBLISH: _l("Taken offline"),
        ReviewAction.DELETE: _l("Deleted"),
        ReviewAction.WITHDRAW: _l("Taken back by the author"),
    },
)


#: What a state means for the author, in one calm sentence.
STATE_HINTS: dict[ItemState, Any] = {
    ItemState.DRAFT: _l(
        "Only you (and the group's editors) can see this. When it is ready, send it to the editors."
    ),
    ItemState.IN_REVIEW: _l(
        "The editors are looking at it. Their answer will appear here and on your page. "
        "Want to change something first? Take it back; it becomes a draft again."
    ),
    ItemState.CHANGES_REQUESTED: _l(
        "The editors asked for a few changes (see their note). Edit it and send it again."
    ),
    ItemState.SCHEDULED: _l("It is approved and will be published automatically at its time."),
    ItemState.PUBLISHED: _l("It is online: everybody who can see the group can see it."),
    ItemState.REJECTED: _l("The editors decided not to publish it."),
    ItemState.ARCHIVED: _l("It is offline. You can change it and send it to the editors again."),
}
