"""The names people read for the enums (states, roles, types), translated.

StrEnum members of different enums compare equal when their values do
("editor"), so the tables are looked up by the enum's type first.
"""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from mediahub.accounts.models import HubRole
from mediahub.episodes.models import EpisodeType
from mediahub.groups.models import GroupRole, Visibility
from mediahub.media.models import AssetState
from mediahub.review.workflow import ItemState, ReviewAction

LABELS: dict[type[enum.Enum], dict[Any, Any]] = {
    ItemState: {
        ItemState.DRAFT: _l("Draft"),
        ItemState.IN_REVIEW: _l("In review"),
        ItemState.CHANGES_REQUESTED: _l("Changes requested"),
        ItemState.SCHEDULED: _l("Scheduled"),
        ItemState.PUBLISHED: _l("Published"),
        ItemState.REJECTED: _l("Not accepted"),
        ItemState.ARCHIVED: _l("Offline"),
    },
    ReviewAction: {
        ReviewAction.SUBMIT: _l("Sent to the editors"),
        ReviewAction.APPROVE: _l("Approved"),
        ReviewAction.REQUEST_CHANGES: _l("Changes requested"),
        ReviewAction.REJECT: _l("Not accepted"),
        ReviewAction.PUBLISH: _l("Published at the planned time"),
        ReviewAction.UNPUBLISH: _l("Taken offline"),
        ReviewAction.DELETE: _l("Deleted"),
    },
    GroupRole: {
        GroupRole.MEMBER: _l("Member"),
        GroupRole.EDITOR: _l("Editor"),
        GroupRole.MANAGER: _l("Manager"),
    },
    HubRole: {
        HubRole.NONE: _l("No hub role"),
        HubRole.EDITOR: _l("Editor for all groups"),
        HubRole.ADMIN: _l("Administrator"),
    },
    Visibility: {
        Visibility.PUBLIC: _l("Public"),
        Visibility.UNLISTED: _l("Not listed"),
        Visibility.PRIVATE: _l("Private"),
    },
    EpisodeType: {
        EpisodeType.FULL: _l("Regular episode"),
        EpisodeType.TRAILER: _l("Trailer"),
        EpisodeType.BONUS: _l("Bonus"),
    },
    AssetState: {
        AssetState.UPLOADED: _l("Waiting to be processed"),
        AssetState.PROCESSING: _l("Being processed"),
        AssetState.READY: _l("Ready"),
        AssetState.FAILED: _l("Processing failed"),
    },
}


#: What a state means for the author, in one calm sentence.
STATE_HINTS: dict[ItemState, Any] = {
    ItemState.DRAFT: _l(
        "Only you (and the group's editors) can see this. When it is ready, send it to the editors."
    ),
    ItemState.IN_REVIEW: _l(
        "The editors are looking at it. Their answer will appear here and on your page."
    ),
    ItemState.CHANGES_REQUESTED: _l(
        "The editors asked for a few changes (see their note). Edit it and send it again."
    ),
    ItemState.SCHEDULED: _l("It is approved and will be published automatically at its time."),
    ItemState.PUBLISHED: _l("It is online: everybody who can see the group can see it."),
    ItemState.REJECTED: _l("The editors decided not to publish it."),
    ItemState.ARCHIVED: _l("It is offline. You can change it and send it to the editors again."),
}


def label(value: enum.Enum) -> Any:
    """The translated name of an enum member (``{{ item.status | label }}``)."""
    return LABELS[type(value)][value]


def choices(enum_cls: type[enum.Enum]) -> list[SelectChoice]:
    """The members with their translated names, for a form's select or radio field."""
    return [SelectChoice(member.value, text) for member, text in LABELS[enum_cls].items()]
