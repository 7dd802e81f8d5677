"""A group's fediverse presence: switching it on and off, its addresses and
profile, and the editors' moderation of replies. Callers own the
transaction. Talking to other servers is in :mod:`.federation`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from pubby.crypto import export_private_key_pem, export_public_key_pem, generate_rsa_keypair
from sqlalchemy import delete, func, or_, select

from mediahub.core import outbound, signals
from mediahub.core.errors import Conflict, InvalidInput
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.core.urls import absolute_url
from mediahub.fediverse import documents
from mediahub.fediverse.models import (
    Block,
    BlockKind,
    FederatedItem,
    Follower,
    GroupActor,
    RemoteActor,
    RemoteReply,
    ReplyState,
)
from mediahub.fediverse.policy import can_moderate
from mediahub.groups.models import Group, Visibility
from mediahub.media.artwork import cover_url

#: The ``fields`` that ``group_changed`` names when the presence was switched.
PRESENCE_FIELD = "fediverse"


def domain() -> str:
    """The hub's host (and port, when not the default) from ``BASE_URL``."""
    return urlsplit(current_app.config["BASE_URL"]).netloc


def can_federate(group: Group) -> bool:
    """Only public groups: unlisted and private ones never appear in the fediverse."""
    return group.visibility == Visibility.PUBLIC


def actor_of(group: Group) -> GroupActor | None:
    return db.session.scalar(select(GroupActor).where(GroupActor.group_id == group.id))


def presence(group: Group) -> GroupActor | None:
    """The group's actor if its presence is switched on (and it may have one)."""
    actor = actor_of(group)
    return actor if actor is not None and actor.is_enabled and can_federate(group) else None


def set_presence(group: Group, *, enabled: bool, replies: bool) -> GroupActor | None:
    """Switch the presence (and replies) on or off.

    Raises:
        Conflict: switching on for a group that is not public.
    """
    actor = actor_of(group)
    if enabled and not can_federate(group):
        raise Conflict(
            _l("Only public groups can be followed from the fediverse."), code="not_public"
        )
    if actor is None and enabled:
        private, public = generate_rsa_keypair()
        actor = GroupActor(
            group=group,
            private_key_pem=export_private_key_pem(private),
            public_key_pem=export_public_key_pem(public),
        )
        db.session.add(actor)
    if actor is not None:
        actor.is_enabled, actor.has_replies = enabled, enabled and replies
        db.session.flush()
        # The feeds say whether (and where) replies are taken.
        signals.group_changed.send(group, actor=None, fields=[PRESENCE_FIELD])
    return actor


def urls(group: Group) -> documents.ActorUrls:
    """The actor's addresses: by the group's id, which never changes (a new
    short name changes ``@slug@hub-domain``, not whom followers follow)."""
    group_id = group.id
    return documents.ActorUrls(
        actor=absolute_url("fediverse.actor", group_id=group_id),
        inbox=absolute_url("fediverse.group_inbox", group_id=group_id),
        outbox=absolute_url("fediverse.outbox", group_id=group_id),
        followers=absolute_url("fediverse.followers", group_id=group_id),
        following=absolute_url("fediverse.following", group_id=group_id),
        shared_inbox=absolute_url("fediverse.shared_inbox"),
    )


def actors_prefix() -> str:
    """The start of every group actor's address (the id follows)."""
    return absolute_url("fediverse.actor", group_id=1).removesuffix("1")


def address(group: Group) -> str:
    """``@slug@hub-domain``: how people find the group."""
    return f"@{group.slug}@{domain()}"


def actor_document(group: Group, actor: GroupActor) -> dict[str, Any]:
    profile = documents.Profile(
        username=group.slug,
        name=outbound.line(group.name),
        summary_html=str(outbound.html(group.description)),
        icon_url=cover_url(group, absolute_url),
        page_url=absolute_url("site.group_page", slug=group.slug),
        feed_url=absolute_url("feeds.podcast_feed", slug=group.slug),
        public_key_pem=actor.public_key_pem,
    )
    labels = (str(_l("Website")), str(_l("Podcast feed")))
    return documents.actor_document(urls(group), profile, labels=labels)


def comment_threads(group: Group, episodes: list[Any]) -> dict[int, tuple[str, str, str]]:
    """Where each episode's replies live, for ``podcast:socialInteract``:
    ``{episode id: (its post's URL, @slug@domain, actor URL)}`` for the
    episodes sent to the fediverse, when the group takes replies; empty
    otherwise (the feed then says ``protocol="disabled"``)."""
    actor = presence(group)
    if actor is None or not actor.has_replies or not episodes:
        return {}
    rows = db.session.scalars(
        select(FederatedItem).where(
            FederatedItem.actor_id == actor.id,
            FederatedItem.item_type == "episode",
            FederatedItem.item_id.in_([e.id for e in episodes]),
            FederatedItem.deleted_at.is_(None),
        )
    )
    account, actor_url = address(group), urls(group).actor
    return {row.item_id: (row.object_url, account, actor_url) for row in rows}


# --- moderation -------------------------------------------------------------------


def pending_replies(group: Group) -> list[RemoteReply]:
    actor = actor_of(group)
    if actor is None:
        return []
    return list(
        db.session.scalars(
            select(RemoteReply)
            .where(RemoteReply.actor_id == actor.id, RemoteReply.state == ReplyState.PENDING)
            .order_by(RemoteReply.received_at, RemoteReply.id)
        )
    )


def waiting_counts(user: Any) -> list[tuple[Group, int]]:
    """The groups ``user`` moderates that have replies waiting, with how many."""
    rows = db.session.execute(
        select(GroupActor, func.count(RemoteReply.id))
        .join(RemoteReply, RemoteReply.actor_id == GroupActor.id)
        .where(RemoteReply.state == ReplyState.PENDING)
        .group_by(GroupActor.id)
    )
    return [(a.group, n) for a, n in rows if can_moderate(user, a.group)]


def approved_replies(item_type: str, item_id: int) -> list[RemoteReply]:
    """The replies shown under an item (approved, oldest first)."""
    return list(
        db.session.scalars(
            select(RemoteReply)
            .join(FederatedItem, RemoteReply.item_id == FederatedItem.id)
            .where(
                FederatedItem.item_type == item_type,
                FederatedItem.item_id == item_id,
                RemoteReply.state == ReplyState.APPROVED,
            )
            .order_by(RemoteReply.received_at, RemoteReply.id)
        )
    )


def reply_group(reply: RemoteReply) -> Group:
    return db.session.get(GroupActor, reply.actor_id).group  # type: ignore[union-attr]


def approve_reply(reply: RemoteReply) -> None:
    reply.state, reply.decided_at = ReplyState.APPROVED, utcnow()
    db.session.flush()


def reject_reply(reply: RemoteReply) -> None:
    db.session.delete(reply)
    db.session.flush()


def block(group: Group, kind: BlockKind, value: str) -> Block:
    """Hear nothing more from an account (its actor URL) or a whole server
    (its domain); what they sent and their follows go at once."""
    value = value.strip().lower() if kind == BlockKind.SERVER else value.strip()
    if not value or len(value) > 2000:
        raise InvalidInput(_l("Please name an account or a server."), field="value")
    found = db.session.scalar(
        select(Block).where(Block.group_id == group.id, Block.kind == kind, Block.value == value)
    )
    row = found or Block(group_id=group.id, kind=kind, value=value)
    db.session.add(row)
    actor = actor_of(group)
    if actor is not None:
        remote_ids = select(RemoteActor.id).where(
            RemoteActor.actor_url == value
            if kind == BlockKind.ACCOUNT
            else RemoteActor.domain == value
        )
        db.session.execute(
            delete(RemoteReply).where(
                RemoteReply.actor_id == actor.id, RemoteReply.remote_id.in_(remote_ids)
            )
        )
        db.session.execute(
            delete(Follower).where(
                Follower.actor_id == actor.id, Follower.remote_id.in_(remote_ids)
            )
        )
    db.session.flush()
    return row


def blocks(group: Group) -> list[Block]:
    """The group's blocks, servers first, then accounts, by name."""
    return list(
        db.session.scalars(
            select(Block).where(Block.group_id == group.id).order_by(Block.kind.desc(), Block.value)
        )
    )


def lift_block(block_row: Block) -> None:
    """Hear from the account or server again (from now on: nothing comes back)."""
    db.session.delete(block_row)
    db.session.flush()


def is_blocked(group_id: int, actor_url: str, actor_domain: str) -> bool:
    return (
        db.session.scalar(
            select(Block.id).where(
                Block.group_id == group_id,
                or_(
                    (Block.kind == BlockKind.ACCOUNT) & (Block.value == actor_url),
                    (Block.kind == BlockKind.SERVER) & (Block.value == actor_domain.lower()),
                ),
            )
        )
        is not None
    )


def follower_count(actor: GroupActor) -> int:
    return (
        db.session.scalar(select(func.count(Follower.id)).where(Follower.actor_id == actor.id)) or 0
    )
