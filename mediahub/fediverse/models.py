"""A group's fediverse presence: its actor, followers, what it published,
deliveries on their way, and the replies waiting for its editors."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediahub.core import labels
from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, str_enum, utcnow
from mediahub.groups.models import Group

URL_LENGTH = 2000


class GroupActor(Model):
    """The group as an ActivityPub actor (one per group, made when switched on)."""

    __tablename__ = "fediverse_actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), unique=True)
    is_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Replies are taken in for the editors (and shown once approved).
    has_replies: Mapped[bool] = mapped_column(default=False, server_default=false())
    private_key_pem: Mapped[str] = mapped_column(Text)
    public_key_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship()


class RemoteActor(Model):
    """Somebody on another server we heard from (a follower, a replier)."""

    __tablename__ = "fediverse_remote_actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_url: Mapped[str] = mapped_column(String(URL_LENGTH), unique=True)
    domain: Mapped[str] = mapped_column(String(255), index=True)
    key_id: Mapped[str] = mapped_column(String(URL_LENGTH))
    public_key_pem: Mapped[str] = mapped_column(Text)
    inbox: Mapped[str] = mapped_column(String(URL_LENGTH))
    shared_inbox: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    #: "@alice@social.example" and a display name, as they call themselves.
    handle: Mapped[str] = mapped_column(String(300), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Follower(Model):
    __tablename__ = "fediverse_followers"
    __table_args__ = (UniqueConstraint("actor_id", "remote_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("fediverse_actors.id", ondelete="CASCADE"), index=True
    )
    remote_id: Mapped[int] = mapped_column(
        ForeignKey("fediverse_remote_actors.id", ondelete="CASCADE"), index=True
    )
    followed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    remote: Mapped[RemoteActor] = relationship()


class FederatedItem(Model):
    """An episode or post sent to followers; ``deleted_at`` once withdrawn."""

    __tablename__ = "fediverse_items"
    __table_args__ = (UniqueConstraint("item_type", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("fediverse_actors.id", ondelete="CASCADE"), index=True
    )
    item_type: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column()
    object_url: Mapped[str] = mapped_column(String(URL_LENGTH), unique=True)
    #: The Note as sent (shown at ``object_url`` while it is online).
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    deletions: Mapped[int] = mapped_column(default=0, server_default="0")


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Delivery(Model):
    """One activity to one inbox: the row is the truth, the queue the trigger."""

    __tablename__ = "fediverse_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("fediverse_actors.id", ondelete="CASCADE"), index=True
    )
    inbox: Mapped[str] = mapped_column(String(URL_LENGTH))
    activity: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[DeliveryState] = mapped_column(
        str_enum(DeliveryState), default=DeliveryState.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReplyState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"


class RemoteReply(Model):
    """A reply from the fediverse to one of the group's items (plain text)."""

    __tablename__ = "fediverse_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("fediverse_actors.id", ondelete="CASCADE"), index=True
    )
    remote_id: Mapped[int] = mapped_column(
        ForeignKey("fediverse_remote_actors.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("fediverse_items.id", ondelete="CASCADE"), index=True
    )
    object_url: Mapped[str] = mapped_column(String(URL_LENGTH), unique=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[ReplyState] = mapped_column(
        str_enum(ReplyState), default=ReplyState.PENDING, index=True
    )
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    remote: Mapped[RemoteActor] = relationship()
    item: Mapped[FederatedItem] = relationship()


class BlockKind(enum.StrEnum):
    ACCOUNT = "account"
    SERVER = "server"


class Block(Model):
    """An account or a whole server the group does not hear from any more."""

    __tablename__ = "fediverse_blocks"
    __table_args__ = (UniqueConstraint("group_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[BlockKind] = mapped_column(str_enum(BlockKind))
    value: Mapped[str] = mapped_column(String(URL_LENGTH))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


labels.register(
    ReplyState,
    {ReplyState.PENDING: _l("Waiting for a decision"), ReplyState.APPROVED: _l("Shown")},
)
labels.register(BlockKind, {BlockKind.ACCOUNT: _l("Account"), BlockKind.SERVER: _l("Whole server")})
