"""Changing one's email address: the form on the account page, and the page
the link in the mail to the new address opens."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.accounts import email_change
from mediahub.accounts.blueprint import account_page, bp
from mediahub.accounts.forms import EmailChangeForm
from mediahub.accounts.ratelimits import email_change_limit, password_checked
from mediahub.core.errors import DomainError
from mediahub.web.forms import ActionForm
from mediahub.web.guessing import secret_lookup
from mediahub.web.pages import render_page, show_error


@bp.route("/account/email", methods=["POST"])
@login_required
@password_checked
@email_change_limit
def request_email_change() -> Any:
    """Ask for a new address: a confirmation link goes there."""
    form = EmailChangeForm()
    if not form.validate_on_submit():
        return account_page(email_form=form)
    try:
        row = email_change.request_change(
            current_user, form.email.data or "", password=form.password.data or ""
        )
    except DomainError as err:
        return account_page(email_form=form, status=show_error(form, err))
    flash(
        _l(
            "A confirmation link is on its way to %(email)s. Your address changes when you "
            "open it (within 24 hours); until then you log in with your current address.",
            email=row.new_email,
        ),
        "success",
    )
    return redirect(url_for("accounts.account"))


@bp.route("/account/email/<secret>", methods=["GET", "POST"])
@secret_lookup
def confirm_email_change(secret: str) -> Any:
    """The link in the mail: GET asks (mail scanners open links), POST changes."""
    row = email_change.change_for_secret(secret)
    form = ActionForm()
    status = None
    if form.validate_on_submit():
        try:
            user = email_change.confirm(row)
        except DomainError as err:
            status = show_error(form, err)
        else:
            flash(_l("Your email address is now %(email)s.", email=user.email), "success")
            if current_user.is_authenticated:
                return redirect(url_for("accounts.account"))
            return redirect(url_for("accounts.login"))
    page, code = render_page("accounts/email_confirm.html", status, change=row, form=form)
    resp = make_response(page, code)
    # The address holds the secret: keep it out of caches and Referer headers.
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
