"""People, logins and tokens. Callers own the transaction."""

from __future__ import annotations

import datetime as dt
import secrets

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from mediahub.accounts.models import ApiToken, HubRole, LoginSession, User, hash_token
from mediahub.accounts.passwords import hash_password, needs_rehash, verify_password
from mediahub.core import signals
from mediahub.core.errors import Conflict, InvalidInput, PermissionDenied
from mediahub.core.extensions import db
from mediahub.core.types import utcnow

#: The longest email address (RFC 5321 path limit; the column's size).
EMAIL_MAX = 254
#: Display names (the column's size) and passwords (hashing a megabyte is work).
NAME_MAX = 80
PASSWORD_MAX = 1024
# Touching last_seen on every request would write on every page view.
_SEEN_RESOLUTION = dt.timedelta(minutes=5)


def normalise_email(email: str) -> str:
    """Validate syntax only (no DNS lookups: no third-party requests)."""
    try:
        info = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput(_l("This is not a valid email address."), field="email") from None
    return info.normalized.lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def check_password_rules(password: str) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise InvalidInput(
            _l("The password must have at least %(n)d characters.", n=minimum), field="password"
        )
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(_l("The password is too long."), field="password")


def create_user(
    email: str, display_name: str, password: str | None = None, hub_role: HubRole = HubRole.NONE
) -> User:
    """Create an account; without a password the person cannot log in yet.

    Raises:
        InvalidInput: bad email, name or password.
        Conflict: the email is taken.
    """
    email = normalise_email(email)
    display_name = display_name.strip()
    if not display_name:
        raise InvalidInput(_l("Please enter a name (a pseudonym is fine)."), field="display_name")
    if user_by_email(email):
        raise Conflict(
            _l("An account with this email address exists already."),
            field="email",
            code="duplicate",
        )
    user = User(email=email, display_name=display_name, hub_role=hub_role)
    if password is not None:
        check_password_rules(password)
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        return None
    if user.password_hash is not None and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(
    user: User,
    password: str,
    *,
    keep: LoginSession | None = None,
    keep_token: ApiToken | None = None,
) -> None:
    """Change the password and end every other login: browser sessions and
    access tokens (an app on a lost phone), except the one making the change."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    for cls, kept in ((LoginSession, keep), (ApiToken, keep_token)):
        stmt = delete(cls).where(cls.user_id == user.id)
        if kept is not None:
            stmt = stmt.where(cls.id != kept.id)
        db.session.execute(stmt)
    db.session.flush()


def start_login_session(user: User, *, remember: bool) -> LoginSession:
    cfg = current_app.config
    lifetime = cfg["REMEMBER_COOKIE_DURATION"] if remember else cfg["PERMANENT_SESSION_LIFETIME"]
    row = LoginSession.start(user, lifetime)
    db.session.add(row)
    db.session.flush()
    user.login_session = row
    return row


def end_login_session(row: LoginSession) -> None:
    db.session.delete(row)
    db.session.flush()


def user_for_session_token(token: str) -> User | None:
    row = db.session.scalar(
        select(LoginSession).where(LoginSession.token_hash == hash_token(token))
    )
    if row is None or row.expires_at <= utcnow() or not row.user.is_active:
        return None
    row.token = token
    row.user.login_session = row
    return row.user


def create_api_token(
    user: User, label: str = "", expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Return the token row and the secret, which is shown once and never stored."""
    secret = ApiToken.PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user=user, label=label[:80], token_hash=hash_token(secret), expires_at=expires_at
    )
    db.session.add(row)
    db.session.flush()
    return row, secret


def user_for_api_token(secret: str) -> tuple[User, ApiToken] | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    now = utcnow()
    if row is None or (row.expires_at and row.expires_at <= now) or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at > _SEEN_RESOLUTION:
        row.last_used_at = now
    return row.user, row


def revoke_api_token(row: ApiToken) -> None:
    db.session.delete(row)
    db.session.flush()


def update_user(
    user: User,
    *,
    display_name: str | None = None,
    hub_role: HubRole | None = None,
    is_active: bool | None = None,
    locale: str | None = None,
    is_credited: bool | None = None,
    email_notifications: bool | None = None,
    actor: User | None = None,
) -> User:
    """Change a person's name, hub role, activity, language, whether they
    are named (credited) in feeds and on public pages, or whether they get
    notification mails.

    Raises:
        InvalidInput: an empty name, a language the hub does not offer.
        PermissionDenied: an administrator (``actor``) would take away their own rights.
    """
    is_self = actor is not None and actor.id == user.id and actor.is_admin
    demoted = is_active is False or (hub_role is not None and hub_role != HubRole.ADMIN)
    if is_self and demoted:
        raise PermissionDenied(
            _l("You cannot remove your own administrator rights."), field="hub_role"
        )
    if display_name is not None and not display_name.strip():
        raise InvalidInput(_l("Please enter a name (a pseudonym is fine)."), field="display_name")
    languages = current_app.config["LANGUAGES"]
    if locale is not None and locale not in languages:
        raise InvalidInput(
            _l("Please choose one of these languages: %(codes)s.", codes=", ".join(languages)),
            field="locale",
        )
    # What the public may know of the person (their name in feeds) before.
    shown = (user.display_name, user.is_credited, user.is_active)
    if display_name is not None:
        user.display_name = display_name.strip()
    if hub_role is not None:
        user.hub_role = hub_role
    if locale is not None:
        user.locale = locale
    if is_credited is not None:
        user.is_credited = is_credited
    if email_notifications is not None:
        user.email_notifications = email_notifications
    if is_active is not None:
        user.is_active = is_active
        if not is_active:
            db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
            db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.flush()
    if (user.display_name, user.is_credited, user.is_active) != shown:
        signals.person_changed.send(user, actor=actor)
    return user
