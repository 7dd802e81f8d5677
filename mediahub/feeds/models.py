"""Per-listener secret feed URLs for private groups."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediahub.core.extensions import db
from mediahub.core.types import UTCDateTime, utcnow


class FeedToken(db.Model):
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
