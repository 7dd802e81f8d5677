"""What followers receive: a post for each newly published episode and blog
post, and ``Delete`` when it is taken offline or deleted.

The posts name no person (only the group), so an author who later withdraws
their name or deletes their account is never named in the fediverse.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from mediahub.core import outbound
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.core.urls import absolute_url
from mediahub.fediverse import documents, services
from mediahub.fediverse.federation import object_url, to_followers
from mediahub.fediverse.models import FederatedItem, GroupActor
from mediahub.review.kinds import kind_of

#: The item kinds followers get posts for.
FEDERATED = ("episode", "post")
SHORT_TEXT = 280


def _item(item: Any, url: str) -> documents.Item:
    page = absolute_url(kind_of(item).public_endpoint, slug=item.group.slug, item_id=item.id)
    text = getattr(item, "description", None) or getattr(item, "body", "") or ""
    audio = getattr(item, "audio", None)
    ready = bool(audio is not None and audio.is_ready)
    return documents.Item(
        object_id=url,
        page_url=page,
        title=outbound.line(item.title),
        text=outbound.summary(text, SHORT_TEXT),
        published_at=item.published_at or utcnow(),
        language=item.group.language or "de",
        content_note=outbound.line(item.content_note),
        audio_url=absolute_url("media.episode_audio", guid=item.guid) if ready else "",
        audio_bytes=(audio.rendition_size or 0) if audio is not None and ready else 0,
        duration_s=(audio.duration_s or 0.0) if audio is not None and ready else 0.0,
    )


def _row(item: Any) -> FederatedItem | None:
    return db.session.scalar(
        select(FederatedItem).where(
            FederatedItem.item_type == item.item_type, FederatedItem.item_id == item.id
        )
    )


def publish(item: Any) -> FederatedItem | None:
    """Send a newly published item to the group's followers (once per
    publication; a re-published item is a new post)."""
    if item.item_type not in FEDERATED:
        return None
    actor = services.presence(item.group)
    row = _row(item)
    if actor is None or (row is not None and row.deleted_at is None):
        return None
    serial = (row.deletions if row else 0) + 1
    url = object_url(item, serial)
    urls = services.urls(item.group)
    note = documents.note(urls, _item(item, url))
    row = row or FederatedItem(actor_id=actor.id, item_type=item.item_type, item_id=item.id)
    row.object_url, row.document, row.deleted_at = url, note, None
    row.published_at = utcnow()
    db.session.add(row)
    db.session.flush()
    to_followers(actor, documents.create(urls, note))
    return row


def revise(item: Any) -> FederatedItem | None:
    """A published item was edited: followers get an ``Update`` of its post
    (a corrected title or text must not live on in the fediverse)."""
    row = _row(item)
    actor = services.presence(item.group)
    if row is None or row.deleted_at is not None or actor is None:
        return None
    urls = services.urls(item.group)
    note = documents.note(urls, _item(item, row.object_url))
    if {**note, "updated": None} == {**row.document, "updated": None}:
        return None
    note["updated"] = utcnow().isoformat().replace("+00:00", "Z")
    row.document = note
    db.session.flush()
    to_followers(actor, documents.update(urls, note, uuid.uuid4().hex))
    return row


def withdraw(item: Any) -> FederatedItem | None:
    """An item taken offline or deleted: ``Delete`` to the followers."""
    row = _row(item)
    if row is None or row.deleted_at is not None:
        return None
    actor = db.session.get(GroupActor, row.actor_id)
    if actor is not None and actor.is_enabled:
        _withdraw_row(actor, row)
    else:
        row.deleted_at, row.deletions = utcnow(), row.deletions + 1
        db.session.flush()
    return row


def _withdraw_row(actor: GroupActor, row: FederatedItem) -> None:
    row.deleted_at, row.deletions = utcnow(), row.deletions + 1
    db.session.flush()
    urls = services.urls(actor.group)
    to_followers(actor, documents.delete(urls, row.object_url, row.deletions))


def switch(group: Any, *, enabled: bool, replies: bool) -> GroupActor | None:
    """Switch the group's presence (see :func:`.services.set_presence`); when
    it goes off, every post it sent is taken back (``Delete`` to the
    followers), so nothing of the group stays in the fediverse.

    Raises:
        Conflict: switching on for a group that is not public.
    """
    actor = services.actor_of(group)
    if actor is not None and actor.is_enabled and not enabled:
        live = db.session.scalars(
            select(FederatedItem).where(
                FederatedItem.actor_id == actor.id, FederatedItem.deleted_at.is_(None)
            )
        )
        for row in list(live):
            _withdraw_row(actor, row)
    return services.set_presence(group, enabled=enabled, replies=replies)


def announce_profile(group: Any) -> None:
    """The group's name, description or artwork changed: followers get an ``Update``."""
    actor = services.presence(group)
    if actor is not None:
        urls = services.urls(group)
        profile = services.actor_document(group, actor)
        to_followers(actor, documents.update(urls, profile, uuid.uuid4().hex))
