"""The accounts' queue tasks: the mails of an email address change and of a
forgotten password."""

from __future__ import annotations

import logging
import secrets

from huey import crontab

from mediahub.accounts import email_change, password_reset
from mediahub.accounts.models import EmailChange, hash_token
from mediahub.accounts.services import user_by_email
from mediahub.core.extensions import db
from mediahub.core.mailer import deliver, recipient_locale, render_mail
from mediahub.core.queue import app_periodic_task, app_task
from mediahub.core.types import utcnow
from mediahub.core.urls import absolute_url

log = logging.getLogger(__name__)


@app_task(retries=6, retry_delay=30, retry_backoff=2)
def send_email_change_link(change_id: int) -> None:
    """Mail the confirmation link to the new address (the secret is made
    here, so it never passes through the queue's storage; a retry makes a new
    one). If another account has the address, its owner is told instead."""
    row = db.session.get(EmailChange, change_id)
    if row is None or not row.is_pending(utcnow()):
        return
    user = row.user
    owner = user_by_email(row.new_email)
    if owner is not None and owner.id != user.id:
        mail = render_mail("email_change_taken", row.new_email, recipient_locale(owner))
    else:
        secret = secrets.token_urlsafe(32)
        row.token_hash = hash_token(secret)
        db.session.commit()
        mail = render_mail(
            "email_change_confirm",
            row.new_email,
            recipient_locale(user),
            name=user.display_name,
            link=absolute_url("accounts.confirm_email_change", secret=secret),
        )
    deliver(mail)


@app_task(retries=6, retry_delay=30, retry_backoff=2)
def send_email_changed_notice(change_id: int) -> None:
    """Tell the old address that the account's address changed; the row goes then."""
    row = db.session.get(EmailChange, change_id)
    if row is None or row.confirmed_at is None or not row.old_email:
        return
    mail = render_mail(
        "email_changed",
        row.old_email,
        recipient_locale(row.user),
        name=row.user.display_name,
        new_email=row.new_email,
        by_admin=row.is_admin_change,
    )
    deliver(mail)
    db.session.delete(row)
    db.session.commit()


@app_periodic_task(crontab(minute="17"))
def purge_email_changes() -> None:
    """Addresses are personal data: links nobody used go after their day."""
    # email_change enqueues the tasks above: importing it at the top would be a cycle.

    email_change.purge_expired()
    db.session.commit()


@app_task(retries=6, retry_delay=30, retry_backoff=2)
def send_password_reset_link(address: str, by_admin: bool = False) -> None:
    """Mail a link to set a new password to ``address`` — if an active account
    has it; otherwise nothing is sent (nobody learns whether it has).

    The secret is made here, so it never passes through the queue's storage;
    a retry makes a new one (and the older link stops working).
    """
    user = user_by_email(address)
    if user is None or not user.is_active:
        return
    secret = password_reset.issue_link(user, by_admin=by_admin)
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


@app_periodic_task(crontab(minute="23"))
def purge_password_resets() -> None:
    """Links nobody used go once they expired (they name a person's account)."""
    password_reset.purge_expired()
    db.session.commit()
