"""The groups' queue tasks: invitation mails."""

from __future__ import annotations

import secrets

from flask import current_app

from mediahub.accounts.credit import public_name
from mediahub.accounts.models import hash_token
from mediahub.accounts.services import user_by_email
from mediahub.core import outbound
from mediahub.core.extensions import db
from mediahub.core.mailer import deliver, recipient_locale, render_mail
from mediahub.core.queue import app_task
from mediahub.core.types import utcnow
from mediahub.core.urls import absolute_url
from mediahub.groups.models import Invitation


@app_task(retries=6, retry_delay=30, retry_backoff=2)
def send_invitation(invitation_id: int) -> None:
    """Make the link's secret here, in the worker, and mail it.

    The secret never passes through the queue's storage; a retry makes a new
    one (the mail with the earlier one never arrived).
    """

    row = db.session.get(Invitation, invitation_id)
    if row is None or row.accepted_at is not None:
        return
    secret = secrets.token_urlsafe(32)
    row.token_hash = hash_token(secret)
    db.session.commit()
    invitee = user_by_email(row.email)
    locale = recipient_locale(invitee)
    mail = render_mail(
        "invitation",
        row.email,
        locale,
        invitation=row,
        group_name=outbound.line(row.group.name),
        # The invitee is not a member yet: the inviter is named only as
        # the public may know them.
        inviter=outbound.line(public_name(row.invited_by)) or None,
        has_account=invitee is not None,
        link=absolute_url("groups.accept_invitation", secret=secret),
        days=current_app.config["INVITATION_DAYS"],
    )
    deliver(mail)
    row.sent_at = utcnow()
    db.session.commit()
