"""What episodes and posts share: the reviewable item and its audit trail."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, new_guid, str_enum, utcnow
from mediahub.review.workflow import ItemState, ReviewAction

if TYPE_CHECKING:
    from mediahub.accounts.models import User
    from mediahub.groups.models import Group


class ReviewableMixin:
    """Columns and behaviour common to every item that goes through review."""

    #: "episode" or "post"; names the item in audit rows, URLs and signals.
    item_type: str
    __tablename__: str

    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    title: Mapped[str] = mapped_column(String(200))
    # Shown before the player and the text, and in the feed's show notes,
    # e.g. "Thema: Suizid, Sucht". Empty means no note.
    content_note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    status: Mapped[ItemState] = mapped_column(
        str_enum(ItemState), default=ItemState.DRAFT, index=True
    )
    publish_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(default=1)
    # What the editors saw at their last decision ({"at", "fields"}), so the
    # next review shows what changed since. It lives and dies with the item
    # (deleted with it, with its group, and cleared when its author's account
    # goes); one per item, replaced at each decision. Deferred: lists of items
    # never load it.
    review_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)

    @declared_attr
    def group_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def author_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    @declared_attr
    def group(cls) -> Mapped[Group]:
        return relationship("Group")

    @declared_attr
    def author(cls) -> Mapped[User | None]:
        return relationship("User")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        # "Newest published first" (start page, group pages, feeds, sitemap)
        # reads this index in order and stops after a page; without it the
        # database sorts every published item of the hub for each view.
        name = cls.__tablename__
        return (
            Index(f"ix_{name}_status_published", "status", "published_at", "id"),
            Index(f"ix_{name}_group_status_published", "group_id", "status", "published_at", "id"),
        )

    @property
    def is_public(self) -> bool:
        return self.status == ItemState.PUBLISHED


class ReviewEvent(Model):
    """One audit row per transition: who, when, from, to, and why."""

    __tablename__ = "review_events"
    __table_args__ = (Index("ix_review_events_item", "item_type", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_type: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column()
    item_title: Mapped[str] = mapped_column(String(200))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[ReviewAction] = mapped_column(str_enum(ReviewAction))
    from_state: Mapped[ItemState] = mapped_column(str_enum(ItemState))
    to_state: Mapped[ItemState | None] = mapped_column(str_enum(ItemState))
    comment: Mapped[str] = mapped_column(Text, default="")
    publish_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # An admin approving their own item is allowed, and recorded as such.
    is_self_review: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship("User")
