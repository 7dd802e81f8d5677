"""An upload in progress: who sends what for which episode, and how far it got.

The bytes collect in a temporary file outside the media storage (named after
the session's random id); only a complete, content-checked file becomes a
media asset. The row never points at a rendition.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, str_enum, utcnow


class UploadPurpose(enum.StrEnum):
    EPISODE_AUDIO = "episode_audio"


class UploadSession(Model):
    __tablename__ = "upload_sessions"

    # secrets.token_urlsafe(32): 256 random bits, the only name of the upload.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    purpose: Mapped[UploadPurpose] = mapped_column(str_enum(UploadPurpose))
    length: Mapped[int] = mapped_column(BigInteger)
    # Bytes received and safely on disk (the file's size is checked against it).
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    content_type: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    # Set once the file became the episode's audio (kept so that a client
    # whose last answer got lost learns it is done).
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("media_assets.id", ondelete="SET NULL"))

    user = relationship("User")
    episode = relationship("Episode")

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    def __repr__(self) -> str:
        return f"<UploadSession {self.id[:8]}… {self.offset}/{self.length}>"
