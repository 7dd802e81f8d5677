"""A form's text kept across a login that had ended."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, utcnow


class KeptDraft(Model):
    """The posted fields of one form, encrypted (AES-GCM) with a key that only
    the browser's short-lived cookie holds; the row keeps the key's hash.

    Rows go when restored, and at the latest an hour after they were made:
    the text may be about someone's health.
    """

    __tablename__ = "kept_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The page the form was posted to; the text comes back only there.
    path: Mapped[str] = mapped_column(String(500))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
