"""Uploaded media: the original file and what processing made of it.

The row is the source of truth for processing; the queue only triggers it.
"""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediahub.core import labels
from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, str_enum, utcnow


class AssetState(enum.StrEnum):
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class AssetKind(enum.StrEnum):
    EPISODE_AUDIO = "episode_audio"
    JINGLE = "jingle"
    IMAGE = "image"


class MediaAsset(Model):
    __tablename__ = "media_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AssetKind] = mapped_column(str_enum(AssetKind))
    status: Mapped[AssetState] = mapped_column(str_enum(AssetState), default=AssetState.UPLOADED)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Share of the encode done (0 … 1) while ``processing``; written by the
    #: worker about once a second, in transactions of its own.
    progress: Mapped[float | None] = mapped_column(Float)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # The original, exactly as uploaded; never modified by processing.
    storage_backend: Mapped[str] = mapped_column(String(16))
    original_key: Mapped[str] = mapped_column(String(255))
    original_size: Mapped[int] = mapped_column(BigInteger)
    original_sha256: Mapped[str] = mapped_column(String(64))
    original_content_type: Mapped[str | None] = mapped_column(String(100))

    # The processed rendition (MP3 for audio, JPEG/PNG for images).
    rendition_key: Mapped[str | None] = mapped_column(String(255))
    rendition_size: Mapped[int | None] = mapped_column(BigInteger)
    rendition_sha256: Mapped[str | None] = mapped_column(String(64))
    content_type: Mapped[str | None] = mapped_column(String(100))
    duration_s: Mapped[float | None] = mapped_column(Float)
    bitrate_kbps: Mapped[int | None] = mapped_column()
    loudness_lufs: Mapped[float | None] = mapped_column(Float)
    true_peak_dbtp: Mapped[float | None] = mapped_column(Float)
    width: Mapped[int | None] = mapped_column()
    height: Mapped[int | None] = mapped_column()
    peaks_key: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict | None] = mapped_column(JSON)

    # Tag rewrites (``media/retagging.py``): each edit of what the ID3 tags
    # show counts ``tags_version`` up; ``tags_written`` is the version the
    # rendition carries. A rewrite is claimed like processing is, with a
    # heartbeat of its own (the asset stays ``ready`` meanwhile).
    tags_version: Mapped[int] = mapped_column(default=0, server_default="0")
    tags_written: Mapped[int] = mapped_column(default=0, server_default="0")
    tags_heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    tags_attempts: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_ready(self) -> bool:
        return self.status == AssetState.READY

    @property
    def progress_shown(self) -> float | None:
        """How far the encode got, only while it runs: what an earlier,
        abandoned attempt reached would mislead."""
        return self.progress if self.status == AssetState.PROCESSING else None

    @property
    def tags_pending(self) -> bool:
        """Whether an edit waits to be written into the rendition's tags."""
        return (self.tags_written or 0) < (self.tags_version or 0)


labels.register(
    AssetState,
    {
        AssetState.UPLOADED: _l("Waiting to be processed"),
        AssetState.PROCESSING: _l("Being processed"),
        AssetState.READY: _l("Ready"),
        AssetState.FAILED: _l("Processing failed"),
    },
)
