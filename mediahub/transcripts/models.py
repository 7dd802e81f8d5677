"""Automatic transcripts: the job and the working copy people check, and
the search index of what episodes say.

The row is the source of truth for the job (as for media assets): queued →
running → done | failed, with attempts and a heartbeat. ``vtt`` is the
machine's transcript as people corrected it; it is never public. What
listeners get is the episode's own ``transcript_vtt``: an uploaded file, or
a copy of this one that an editor approved (``Episode.transcript_origin``).
"""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediahub.core import db as core_db
from mediahub.core import labels
from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, str_enum, utcnow
from mediahub.episodes.models import Episode


class TranscriptState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Transcript(Model):
    """An episode's automatic transcript (at most one per episode)."""

    __tablename__ = "transcripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episodes.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[TranscriptState] = mapped_column(
        str_enum(TranscriptState), default=TranscriptState.QUEUED, index=True
    )
    #: How much of the audio is done, 0 to 1.
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(default=0)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    #: The language it was made in (the episode's, else the group's).
    language: Mapped[str] = mapped_column(String(8), default="de")
    #: SHA-256 of the MP3 it was made from: new audio, new transcript.
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    #: WebVTT, the machine's words as people corrected them (never public).
    vtt: Mapped[str | None] = mapped_column(Text)
    #: Counts every change of ``vtt``; an edit of an older one is refused.
    version: Mapped[int] = mapped_column(default=1)
    #: The version an editor approved (None: never); public while it is current.
    approved_version: Mapped[int | None] = mapped_column()
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    episode: Mapped[Episode] = relationship(Episode)

    @property
    def is_approved(self) -> bool:
        """An editor approved exactly what is in it now."""
        return self.approved_version == self.version

    @property
    def is_final(self) -> bool:
        return self.state in (TranscriptState.DONE, TranscriptState.FAILED)


class EpisodeText(Model):
    """What an episode says (title, show notes, public transcript) for the
    site's search. PostgreSQL adds a tsvector column with a GIN index,
    SQLite an FTS5 index kept by triggers (migration 0009)."""

    __tablename__ = "episode_texts"

    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episodes.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[str] = mapped_column(Text, default="")

    episode: Mapped[Episode] = relationship(Episode)


core_db.HAND_MADE.update(
    {
        "episode_texts_fts",
        "episode_texts_fts_data",
        "episode_texts_fts_idx",
        "episode_texts_fts_docsize",
        "episode_texts_fts_config",
        "document",
        "ix_episode_texts_document",
    }
)

labels.register(
    TranscriptState,
    {
        TranscriptState.QUEUED: _l("Waiting"),
        TranscriptState.RUNNING: _l("Being written"),
        TranscriptState.DONE: _l("Ready"),
        TranscriptState.FAILED: _l("Failed"),
    },
)
