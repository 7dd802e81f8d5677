"""A person's own account page: language, notification mails, password,
email address (``email_views``), data export, deletion."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, flash, redirect, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from mediahub.accounts import deletion, export, services
from mediahub.accounts.blueprint import account_page, bp
from mediahub.accounts.forms import (
    DeleteAccountForm,
    NotificationsForm,
)
from mediahub.accounts.ratelimits import password_checked
from mediahub.core.errors import DomainError
from mediahub.core.types import utcnow
from mediahub.storage import current_storage
from mediahub.web.pages import render_page, show_error


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


def export_response(user: Any) -> Response:
    """The ZIP download of ``user``'s data, streamed (shared with the API)."""

    data, files = export.collect(user)
    st = current_storage()
    name = re.sub(r"[^a-z0-9]+", "-", user.display_name.lower()).strip("-") or "account"
    filename = f"mediahub-{name}-{utcnow():%Y-%m-%d}.zip"
    return Response(
        # The generator needs no app context: the storage object is bound here.
        export.stream_zip(data, files, st),
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/account/export")
@login_required
def export_data() -> Response:
    """Everything about me as a ZIP file: account, groups, texts, history, audio."""
    return export_response(current_user)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@password_checked
def delete_account() -> Any:
    """Ask for the password, then delete the account for good."""
    form = DeleteAccountForm()
    status = None
    if form.validate_on_submit():
        try:
            deletion.delete_account(current_user, password=form.password.data or "")
        except DomainError as err:
            status = show_error(form, err)
        else:
            logout_user()
            session.clear()
            flash(_l("Your account is deleted. Thank you for having been part of it."), "info")
            return redirect(url_for("site.home"))
    return render_page("accounts/delete.html", status, form=form, kept=deletion.KEPT_STATES)
