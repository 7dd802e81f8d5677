"""Texts of the hub that admins edit: Impressum, privacy page, help footer."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, str_enum, utcnow


class SiteTextKey(enum.StrEnum):
    IMPRESSUM = "impressum"  # legal notice (§ 5 DDG)
    PRIVACY = "privacy"  # privacy policy (Art. 13 GDPR)
    HELP_FOOTER = "help_footer"  # crisis numbers on every public page


class SiteText(Model):
    """Markdown text in one language; German is the fallback for English."""

    __tablename__ = "site_texts"
    __table_args__ = (UniqueConstraint("key", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[SiteTextKey] = mapped_column(str_enum(SiteTextKey))
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by = relationship("User")
