"""A person's own data on pages: the download of everything about them and
deleting the account (on the accounts' blueprint, beside the account page)."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, flash, redirect, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from mediahub.accounts.blueprint import bp
from mediahub.accounts.forms import (
    DeleteAccountForm,
)
from mediahub.accounts.ratelimits import password_checked
from mediahub.core.errors import DomainError
from mediahub.core.types import utcnow
from mediahub.mydata import export
from mediahub.mydata import services as deletion
from mediahub.storage import current_storage
from mediahub.web.pages import render_page, show_error


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
