"""What makes the feed files change: receivers of the platform's signals.

Each receiver asks for a rebuild of the item's group (and with it the hub's
feeds) once the transaction commits, one per group and transaction; the
rebuild runs in the worker (inline under ``QUEUE_IMMEDIATE``).

What a person takes back must be gone when their answer arrives, not when
the worker gets to it: a group leaving public view, an episode or post
taken offline, a correction of a published text, a person withdrawing
their name or leaving. Changes made in a request to what feeds already
show are therefore rebuilt in that request, right after it commits
(``queue.run_after_commit``), which removes withdrawn files from
``FEEDS_ROOT/public`` — where nginx may serve them directly — at once. The
queued rebuild still follows: it repairs a file that a rebuild running in
the worker at that moment wrote from the state before the change.
Additions (publishing, a finished re-encode) wait for the worker.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context
from sqlalchemy import select

from mediahub.core import signals
from mediahub.core.extensions import db
from mediahub.core.queue import enqueue_once_after_commit, run_after_commit
from mediahub.feeds.tasks import rebuild_group_feeds, rebuild_group_feeds_now
from mediahub.review.kinds import kinds
from mediahub.review.workflow import ItemState


def request_rebuild(group_id: int | None, *, now: bool = False) -> None:
    """Rebuild the group's and the hub's feeds after this transaction commits:
    in the worker, and with ``now`` also in this request before it answers."""

    enqueue_once_after_commit(db.session, rebuild_group_feeds, group_id)
    if now and has_request_context():
        run_after_commit(db.session, rebuild_group_feeds_now, group_id)


def _item_state_changed(item: Any, **_: Any) -> None:
    # Published (it enters the feed), deleted (only items not online are).
    request_rebuild(item.group_id)


def _item_withdrawn(item: Any, **_: Any) -> None:
    # Taken offline: it leaves the feed at once.
    request_rebuild(item.group_id, now=True)


def _item_changed(item: Any, **_: Any) -> None:
    # Edits of drafts and items in review do not show in any feed; an edit
    # of a published one may take something back.
    if item.status == ItemState.PUBLISHED:
        request_rebuild(item.group_id, now=True)


def _group_changed(group: Any, **_: Any) -> None:
    # Visibility, address, name, description: all shown by the feeds.
    request_rebuild(group.id, now=True)


def _media_ready(asset: Any, episode: Any = None, **_: Any) -> None:
    # A reprocessed MP3 has a new length (the enclosure's) and duration.
    if episode is not None and episode.status == ItemState.PUBLISHED:
        request_rebuild(episode.group_id)


def _person_changed(person: Any, **_: Any) -> None:
    # Feeds name credited authors (podcast:person, Atom author): every group
    # with a published item of theirs shows the change.
    for kind in kinds():
        model = kind.model
        stmt = select(model.group_id).where(
            model.author_id == person.id, model.status == ItemState.PUBLISHED
        )
        for group_id in db.session.scalars(stmt.distinct()):
            request_rebuild(group_id, now=True)


_RECEIVERS = (
    (signals.item_published, _item_state_changed),
    (signals.item_unpublished, _item_withdrawn),
    (signals.item_deleted, _item_state_changed),
    (signals.item_changed, _item_changed),
    (signals.group_changed, _group_changed),
    (signals.media_ready, _media_ready),
    (signals.person_changed, _person_changed),
)


def init_app(app: Flask) -> None:
    """Connect the receivers (idempotent: blinker keeps one per function)."""
    for signal, receiver in _RECEIVERS:
        signal.connect(receiver)
