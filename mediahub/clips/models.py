"""Clips: a passage of an episode, reviewed like everything else, rendered
into three video files once approved.

The clip row is the source of truth for rendering (as the asset row is for
audio processing): ``render_state`` goes ``waiting → rendering → ready |
failed`` with attempts and a heartbeat; the queue only triggers it.
"""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediahub.clips.layout import ClipShape
from mediahub.core import labels
from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, str_enum
from mediahub.episodes.models import Episode
from mediahub.review.models import ReviewableMixin

#: A passage is at least this long and at most that long (seconds).
MIN_SECONDS = 5.0
MAX_SECONDS = 90.0


class RenderState(enum.StrEnum):
    WAITING = "waiting"
    RENDERING = "rendering"
    READY = "ready"
    FAILED = "failed"


class Clip(ReviewableMixin, Model):
    __tablename__ = "clips"
    item_type = "clip"

    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episodes.id", ondelete="CASCADE"), index=True
    )
    start_s: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[float] = mapped_column(Float)
    # None until the clip is approved; then the renderer's state.
    render_state: Mapped[RenderState | None] = mapped_column(str_enum(RenderState), index=True)
    render_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    render_error: Mapped[str | None] = mapped_column(String(500))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    episode: Mapped[Episode] = relationship()
    renditions: Mapped[list[ClipRendition]] = relationship(
        back_populates="clip",
        cascade="all, delete-orphan",
        order_by="ClipRendition.id",
    )

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s

    def rendition(self, shape: ClipShape) -> ClipRendition | None:
        return next((r for r in self.renditions if r.shape == shape), None)


class ClipRendition(Model):
    """One shape of a clip: its MP4 file once rendered, and how far it got."""

    __tablename__ = "clip_renditions"
    __table_args__ = (UniqueConstraint("clip_id", "shape"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), index=True)
    shape: Mapped[ClipShape] = mapped_column(str_enum(ClipShape))
    #: Share done while rendering (0 … 1); 1 once stored.
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    storage_key: Mapped[str | None] = mapped_column(String(255))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))

    clip: Mapped[Clip] = relationship(back_populates="renditions")


labels.register(
    RenderState,
    {
        RenderState.WAITING: _l("Waiting to be made"),
        RenderState.RENDERING: _l("Being made"),
        RenderState.READY: _l("Ready to download"),
        RenderState.FAILED: _l("Could not be made"),
    },
)
labels.register(
    ClipShape,
    {
        ClipShape.SQUARE: _l("Square (1080 x 1080)"),
        ClipShape.VERTICAL: _l("Vertical (1080 x 1920)"),
        ClipShape.LANDSCAPE: _l("Landscape (1920 x 1080)"),
    },
)
