"""People, their login sessions, their API tokens and the links mailed to them."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediahub.core import labels
from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, str_enum, utcnow


class HubRole(enum.StrEnum):
    """A person's role across the whole hub (group roles are memberships)."""

    NONE = "none"
    EDITOR = "editor"  # reviews items of every group
    ADMIN = "admin"  # everything: groups, people, settings


def hash_token(token: str) -> str:
    """Tokens are random (≥ 128 bits), so a plain SHA-256 is a safe digest."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    hub_role: Mapped[HubRole] = mapped_column(str_enum(HubRole), default=HubRole.NONE)
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    # Opt-in: name the person (display name, may be a pseudonym) as host in
    # feeds (podcast:person) and on public pages. Off by default.
    is_credited: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Mails about submissions and review decisions (not invitations or
    # password mails). On by default; off with one click from any of them.
    email_notifications: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan")

    # Set by the login loader: the server-side session this request runs in.
    login_session = None  # type: LoginSession | None

    # Flask-Login protocol -------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # The session cookie carries the login session's token, not the user
        # id: deleting the row ends that session everywhere, at once.
        if self.login_session is None or self.login_session.token is None:
            raise RuntimeError("get_id() outside of a login")
        return self.login_session.token

    @property
    def is_admin(self) -> bool:
        return self.hub_role == HubRole.ADMIN

    @property
    def is_hub_editor(self) -> bool:
        return self.hub_role in {HubRole.EDITOR, HubRole.ADMIN}

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class LoginSession(Model):
    """One signed-in browser. The cookie holds a random token; we keep its hash."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    # The raw token exists only in the request that created the session.
    token = None  # type: str | None

    @classmethod
    def start(cls, user: User, lifetime: dt.timedelta) -> LoginSession:
        token = secrets.token_urlsafe(32)
        now = utcnow()
        row = cls(
            user=user,
            token_hash=hash_token(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
        row.token = token
        return row


class ApiToken(Model):
    """A personal access token for the JSON API (``Authorization: Bearer``)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    PREFIX = "mh_"


class EmailChange(Model):
    """A change of a person's email address, and the mails it takes.

    Asked for by the person: the worker mails a one-time link (its hash is
    ``token_hash``, made there) to ``new_email``; the address changes only
    when the link is used (``confirmed_at``). Made by an administrator
    (``is_admin_change``): at once. Either way a notice then goes to the old
    address (``old_email``). A row goes when its notice is sent, or a day
    after it was made (purge).
    """

    __tablename__ = "email_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    new_email: Mapped[str] = mapped_column(String(254))
    old_email: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    is_admin_change: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_pending(self, now: dt.datetime) -> bool:
        """Waiting for its link to be used, and not expired."""
        return self.confirmed_at is None and self.expires_at > now


class PasswordReset(Model):
    """One emailed link to set a new password (a forgotten one, or the first).

    The worker makes the secret (256 bits) when it writes the mail and keeps
    only its SHA-256 here (``token_hash``); the link works once (``used_at``)
    and for an hour (``expires_at``). Asked for by the person on the login
    page or in the app, or sent by an administrator (``is_admin_request``,
    e.g. for an account created without a password). Only the newest link of
    a person works; rows go once they expired (purge).
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


labels.register(
    HubRole,
    {
        HubRole.NONE: _l("No hub role"),
        HubRole.EDITOR: _l("Editor for all groups"),
        HubRole.ADMIN: _l("Administrator"),
    },
)
