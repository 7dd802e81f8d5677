"""The accounts' HTML blueprint and the account page its view modules answer with."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
)
from flask_login import current_user

from mediahub.accounts import email_change
from mediahub.accounts.forms import (
    EmailChangeForm,
    LanguageForm,
    NotificationsForm,
)
from mediahub.web.pages import render_page

bp = Blueprint("accounts", __name__)


def account_page(
    notifications_form: NotificationsForm | None = None,
    email_form: EmailChangeForm | None = None,
    status: int | None = None,
) -> Any:
    """The account page, with the form just posted (and its errors) if any."""
    language_form = LanguageForm(formdata=None, data={"locale": current_user.locale or "de"})
    if notifications_form is None:
        notifications_form = NotificationsForm(
            formdata=None, data={"email_notifications": current_user.email_notifications}
        )
    return render_page(
        "accounts/account.html",
        status,
        language_form=language_form,
        notifications_form=notifications_form,
        email_form=email_form or EmailChangeForm(formdata=None),
        pending_email=email_change.pending_change(current_user),
    )
