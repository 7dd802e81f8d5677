"""Podcast episodes."""

from __future__ import annotations

import enum
import math
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship
from sqlalchemy.types import TypeDecorator

from mediahub.core import labels
from mediahub.core.extensions import Model
from mediahub.core.types import str_enum
from mediahub.review.models import ReviewableMixin


class EpisodeType(enum.StrEnum):
    FULL = "full"
    TRAILER = "trailer"
    BONUS = "bonus"


def usable_chapters(value: Any) -> list[dict[str, Any]] | None:
    """The chapters every reader (feed, page, pipeline) can use: a finite start
    of at least 0 and a text title each. Input is checked on the way in
    (``services.parse_chapters``); this keeps out what was stored before that
    (a NaN start), so that no reader and no reprocessing can trip over it."""
    if not isinstance(value, list):
        return None
    usable = [
        c
        for c in value
        if isinstance(c, dict)
        and isinstance(c.get("title"), str)
        and isinstance(c.get("start_s"), int | float)
        and not isinstance(c.get("start_s"), bool)
        and math.isfinite(c["start_s"])
        and c["start_s"] >= 0
    ]
    return usable or None


class ChapterList(TypeDecorator[list]):
    """JSON chapters, only usable ones in and out (see :func:`usable_chapters`)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: object) -> Any:
        return usable_chapters(value)

    def process_result_value(self, value: Any, dialect: object) -> Any:
        return usable_chapters(value)


class Episode(ReviewableMixin, Model):
    __tablename__ = "episodes"
    item_type = "episode"

    description: Mapped[str] = mapped_column(Text, default="")
    episode_type: Mapped[EpisodeType] = mapped_column(
        str_enum(EpisodeType), default=EpisodeType.FULL
    )
    season: Mapped[int | None] = mapped_column()
    number: Mapped[int | None] = mapped_column()
    is_explicit: Mapped[bool] = mapped_column(default=False)
    audio_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_assets.id", ondelete="SET NULL")
    )
    # Pitch-shift the voice (tempo kept) for speakers who must not be recognised.
    disguise_voice: Mapped[bool] = mapped_column(default=False, server_default=false())
    # [{"start_s": 0.0, "title": "…"}, …], sorted; they go into the MP3 as CHAP/CTOC.
    chapters: Mapped[list | None] = mapped_column(ChapterList)
    # WebVTT text (SRT uploads are converted); served as text/vtt and shown
    # as text on the episode page.
    transcript_vtt: Mapped[str | None] = mapped_column(Text)
    #: Where ``transcript_vtt`` came from: "upload" (a person's file, always
    #: preferred) or "machine" (an automatic transcript an editor approved).
    transcript_origin: Mapped[str | None] = mapped_column(String(8))
    #: The language spoken, when it is not the group's (automatic transcripts).
    language: Mapped[str | None] = mapped_column(String(8))
    #: Whether there is a transcript, known without loading it (feeds list
    #: hundreds of episodes and defer the text itself).
    has_transcript: Mapped[bool] = query_expression(transcript_vtt.is_not(None))
    # Episode artwork; the group cover is used when there is none.
    image_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_assets.id", ondelete="SET NULL")
    )

    audio = relationship("MediaAsset", foreign_keys=[audio_asset_id])
    image = relationship("MediaAsset", foreign_keys=[image_asset_id])

    def __repr__(self) -> str:
        return f"<Episode {self.id} {self.status}>"


labels.register(
    EpisodeType,
    {
        EpisodeType.FULL: _l("Regular episode"),
        EpisodeType.TRAILER: _l("Trailer"),
        EpisodeType.BONUS: _l("Bonus"),
    },
)
