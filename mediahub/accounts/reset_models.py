"""A forgotten password: the one-time link that lets a person set a new one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import UTCDateTime, utcnow
from .models import User


class PasswordReset(db.Model):
    """One emailed link to set a new password.

    The worker makes the secret (256 bits) when it writes the mail and keeps
    only its SHA-256 here (``token_hash``); the link works once (``used_at``)
    and for an hour (``expires_at``). Asked for by the person on the login
    page or in the app, or sent by an administrator (``is_admin_request``,
    for accounts created without a password). Only the newest link of a
    person works; rows go an hour after they expired (purge).
    """

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    is_admin_request: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now: dt.datetime) -> bool:
        """Not used yet, not expired, and the account may still log in."""
        return (
            self.used_at is None
            and self.token_hash is not None
            and self.expires_at > now
            and self.user.is_active
        )
