"""Changing one's email address: the form on the account page, and the page
the link in the mail to the new address opens."""

from __future__ import annotations

from typing import Any

from flask import make_response, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.accounts import email_change
from mediahub.accounts.blueprint import account_page, bp
from mediahub.accounts.forms import EmailChangeForm
from mediahub.accounts.ratelimits import email_change_limit, password_checked
from mediahub.web.actions import form_action
from mediahub.web.forms import ActionForm
from mediahub.web.guessing import secret_lookup
from mediahub.web.pages import render_page


@bp.route("/account/email", methods=["POST"])
@login_required
@password_checked
@email_change_limit
def request_email_change() -> Any:
    """Ask for a new address: a confirmation link goes there."""
    form = EmailChangeForm()
    outcome = form_action(
        form,
        lambda: email_change.request_change(
            current_user, form.email.data or "", password=form.password.data or ""
        ),
        done=lambda row: _l(
            "A confirmation link is on its way to %(email)s. Your address changes when you "
            "open it (within 24 hours); until then you log in with your current address.",
            email=row.new_email,
        ),
        to=lambda _: url_for("accounts.account"),
    )
    return outcome.response or account_page(email_form=form, status=outcome.status)


@bp.route("/account/email/<secret>", methods=["GET", "POST"])
@secret_lookup
def confirm_email_change(secret: str) -> Any:
    """The link in the mail: GET asks (mail scanners open links), POST changes."""
    row = email_change.change_for_secret(secret)
    form = ActionForm()
    outcome = form_action(
        form,
        lambda: email_change.confirm(row),
        done=lambda user: _l("Your email address is now %(email)s.", email=user.email),
        to=lambda _: url_for(
            "accounts.account" if current_user.is_authenticated else "accounts.login"
        ),
    )
    if outcome.response:
        return outcome.response
    page, code = render_page("accounts/email_confirm.html", outcome.status, change=row, form=form)
    resp = make_response(page, code)
    # The address holds the secret: keep it out of caches and Referer headers.
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
