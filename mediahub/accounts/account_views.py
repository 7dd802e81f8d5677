"""A person's own account page: language, notification mails, password,
email address (``email_views``), data export, deletion."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.accounts import services
from mediahub.accounts.blueprint import account_page, bp
from mediahub.accounts.forms import (
    NotificationsForm,
)


@bp.route("/account")
@login_required
def account() -> Any:
    """What the hub knows about me, and what I can do about it."""
    return account_page()


@bp.route("/account/notifications", methods=["POST"])
@login_required
def set_notifications() -> Any:
    """Turn the mails about submissions and review decisions on or off."""
    form = NotificationsForm()
    if not form.validate_on_submit():
        return account_page(form)
    services.update_user(current_user, email_notifications=form.email_notifications.data)
    if form.email_notifications.data:
        flash(_l("You will get notification mails again."), "success")
    else:
        flash(
            _l(
                "You will no longer get notification mails. Invitations and mails about "
                "your password still come."
            ),
            "success",
        )
    return redirect(url_for("accounts.account"))
