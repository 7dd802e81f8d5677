"""When items are published or withdrawn, followers hear of it; a group that
leaves public view leaves the fediverse."""

from __future__ import annotations

from typing import Any

from flask import Flask

from mediahub.core import signals
from mediahub.fediverse import publishing, services
from mediahub.review.workflow import ItemState

#: What the actor document shows of a group (a change is sent as an Update).
PROFILE_FIELDS = frozenset({"name", "description", "cover", "slug"})


def _published(item: Any, **_: Any) -> None:
    publishing.publish(item)


def _withdrawn(item: Any, **_: Any) -> None:
    publishing.withdraw(item)


def _changed(item: Any, **_: Any) -> None:
    if item.status == ItemState.PUBLISHED:
        publishing.revise(item)


def _group_changed(group: Any, fields: Any = None, **_: Any) -> None:
    actor = services.actor_of(group)
    if actor is None or not actor.is_enabled or fields == [services.PRESENCE_FIELD]:
        return
    if not services.can_federate(group):
        # Unlisted or private now: the group leaves the fediverse, posts and all.
        publishing.switch(group, enabled=False, replies=False)
    elif fields is None or PROFILE_FIELDS.intersection(fields):
        publishing.announce_profile(group)


def init_app(app: Flask) -> None:
    signals.item_published.connect(_published)
    signals.item_unpublished.connect(_withdrawn)
    signals.item_deleted.connect(_withdrawn)
    signals.item_changed.connect(_changed)
    signals.group_changed.connect(_group_changed)
