"""The queue tasks of a forgotten password: the mail with the link, and the purge."""

from __future__ import annotations

import datetime as dt
import secrets

from huey import crontab
from sqlalchemy import delete

from ..extensions import db
from ..mail.sender import deliver, recipient_locale, render_mail
from ..queue import app_periodic_task, app_task
from ..types import utcnow
from ..urls import absolute_url
from .models import hash_token
from .reset_models import PasswordReset
from .services import user_by_email

#: How long the link in the mail works.
LIFETIME = dt.timedelta(hours=1)


@app_task(retries=6, retry_delay=30, retry_backoff=2)
def send_password_reset_link(address: str, by_admin: bool = False) -> None:
    """Mail a link to set a new password to ``address`` — if an active
    account has it; otherwise nothing is sent (nobody learns whether it has).

    The secret is made here, so it never passes through the queue's storage;
    a retry makes a new one. Only the newest link of a person works.
    """
    user = user_by_email(address)
    if user is None or not user.is_active:
        return
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    secret = secrets.token_urlsafe(32)  # 256 bits
    now = utcnow()
    db.session.add(
        PasswordReset(
            user=user,
            token_hash=hash_token(secret),
            is_admin_request=by_admin,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    db.session.commit()
    mail = render_mail(
        "password_reset",
        user.email,
        recipient_locale(user),
        name=user.display_name,
        link=absolute_url("accounts.reset_password", secret=secret),
        by_admin=by_admin,
        has_password=user.password_hash is not None,
    )
    deliver(mail)


def purge(now: dt.datetime) -> int:
    """Delete the links that expired; returns how many."""
    result = db.session.execute(delete(PasswordReset).where(PasswordReset.expires_at <= now))
    return result.rowcount or 0


@app_periodic_task(crontab(minute="23"))
def purge_password_resets() -> None:
    """Links nobody used go once they expired (they name a person's account)."""
    purge(utcnow())
    db.session.commit()
