"""What makes the feed files change: receivers of the platform's signals.

Each receiver only asks for a rebuild of the item's group once the
transaction commits (one per group and transaction); the rebuild itself runs
in the worker (inline under ``QUEUE_IMMEDIATE``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from .. import signals
from ..extensions import db
from ..queue import enqueue_once_after_commit
from ..review.workflow import ItemState


def request_rebuild(group_id: int | None) -> None:
    """Rebuild the group's and the hub's feeds after this transaction commits."""
    from .tasks import rebuild_group_feeds

    enqueue_once_after_commit(db.session, rebuild_group_feeds, group_id)


def _item_state_changed(item: Any, **_: Any) -> None:
    # Published, taken offline, deleted: the item enters or leaves the feed.
    request_rebuild(item.group_id)


def _item_changed(item: Any, **_: Any) -> None:
    # Edits of drafts and items in review do not show in any feed.
    if item.status == ItemState.PUBLISHED:
        request_rebuild(item.group_id)


def _group_changed(group: Any, **_: Any) -> None:
    request_rebuild(group.id)


def _media_ready(asset: Any, episode: Any = None, **_: Any) -> None:
    # A reprocessed MP3 has a new length (the enclosure's) and duration.
    if episode is not None and episode.status == ItemState.PUBLISHED:
        request_rebuild(episode.group_id)


_RECEIVERS = (
    (signals.item_published, _item_state_changed),
    (signals.item_unpublished, _item_state_changed),
    (signals.item_deleted, _item_state_changed),
    (signals.item_changed, _item_changed),
    (signals.group_changed, _group_changed),
    (signals.media_ready, _media_ready),
)


def init_app(app: Flask) -> None:
    """Connect the receivers (idempotent: blinker keeps one per function)."""
    for signal, receiver in _RECEIVERS:
        signal.connect(receiver)
