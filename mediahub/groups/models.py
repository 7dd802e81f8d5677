"""Self-help groups and who belongs to them."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediahub.core import db as core_db
from mediahub.core import labels
from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, str_enum, utcnow


class Visibility(enum.StrEnum):
    PUBLIC = "public"  # listed in the hub directory
    UNLISTED = "unlisted"  # reachable by its address, not listed
    PRIVATE = "private"  # members only; listeners through secret feed URLs


class GroupRole(enum.StrEnum):
    MEMBER = "member"  # creates and edits own drafts, submits them
    EDITOR = "editor"  # reviews and publishes in this group
    MANAGER = "manager"  # group settings and memberships; also an editor


class Group(Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="de")
    category: Mapped[str] = mapped_column(String(40), default="self-help")
    visibility: Mapped[Visibility] = mapped_column(str_enum(Visibility), default=Visibility.PUBLIC)
    is_explicit: Mapped[bool] = mapped_column(default=False)
    #: Transcripts are made automatically of every episode (the group may say no).
    auto_transcripts: Mapped[bool] = mapped_column(default=True, server_default=true())
    funding_url: Mapped[str | None] = mapped_column(String(500))
    cover_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_assets.id", ondelete="SET NULL")
    )
    # Short clips joined before and after every newly processed episode.
    intro_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_assets.id", ondelete="SET NULL")
    )
    outro_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_assets.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    memberships = relationship("Membership", back_populates="group", cascade="all, delete-orphan")
    cover = relationship("MediaAsset", foreign_keys=[cover_asset_id])
    intro = relationship("MediaAsset", foreign_keys=[intro_asset_id])
    outro = relationship("MediaAsset", foreign_keys=[outro_asset_id])

    def __repr__(self) -> str:
        return f"<Group {self.slug}>"


class Membership(Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[GroupRole] = mapped_column(str_enum(GroupRole), default=GroupRole.MEMBER)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    group = relationship("Group", back_populates="memberships")
    user = relationship("User", back_populates="memberships")


class Invitation(Model):
    """An emailed, single-use invitation into a group with a role.

    The secret is random (256 bits) and appears only in the mail; the row keeps
    its SHA-256. A new secret is made each time the mail is (re)sent, which
    also ends the older link. Accepting clears the hash: the link is used up.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[GroupRole] = mapped_column(str_enum(GroupRole), default=GroupRole.MEMBER)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the mail has gone out; the link is valid until expires_at.
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    group = relationship("Group")
    invited_by = relationship("User")

    def is_pending(self, now: dt.datetime) -> bool:
        return self.accepted_at is None and self.expires_at > now

    def __repr__(self) -> str:
        return f"<Invitation {self.id} group={self.group_id}>"


class FeedToken(Model):
    """One listener's access to a private group's feed and media.

    The secret (``secrets.token_urlsafe(24)``, 192 bits) appears only once, in
    the answer that created it; the row keeps its SHA-256. Revoking deletes
    the row, so the URL answers 404 at once.
    """

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Day precision only: enough to see an unused token, not a listening log.
    last_used_on: Mapped[dt.date | None] = mapped_column()

    group = relationship("Group")
    created_by = relationship("User")

    def __repr__(self) -> str:
        return f"<FeedToken {self.id} group={self.group_id}>"


labels.register(
    GroupRole,
    {
        GroupRole.MEMBER: _l("Member"),
        GroupRole.EDITOR: _l("Editor"),
        GroupRole.MANAGER: _l("Manager"),
    },
)

labels.register(
    Visibility,
    {
        Visibility.PUBLIC: _l("Public"),
        Visibility.UNLISTED: _l("Not listed"),
        Visibility.PRIVATE: _l("Private"),
    },
)


# PostgreSQL's indexes for national scale (migration 0013: trigrams for the
# search by name, expression orders of the lists; 0015: trigrams for the
# admins' searches), which the models cannot describe.
core_db.HAND_MADE.update(
    {
        "ix_groups_name_trgm",
        "ix_groups_description_trgm",
        "ix_groups_name_order",
        "ix_groups_lower_name_order",
        "ix_users_lower_display_name_order",
        "ix_users_display_name_trgm",
        "ix_users_email_trgm",
        "ix_groups_slug_trgm",
    }
)
