"""A forgotten password: asking for the link, and the page the link opens."""

from __future__ import annotations

from typing import Any

from flask import make_response, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from mediahub.accounts import password_reset, services
from mediahub.accounts.blueprint import bp
from mediahub.accounts.forms import ForgotPasswordForm, ResetPasswordForm
from mediahub.accounts.models import PasswordReset, User
from mediahub.accounts.ratelimits import reset_requested
from mediahub.web.actions import form_action
from mediahub.web.guessing import secret_lookup
from mediahub.web.pages import render_page

#: The address asked about, for the answer page after the redirect (once).
_SENT_TO = "password_link_sent_to"


@bp.route("/password/forgot", methods=["GET", "POST"])
@reset_requested
def forgot_password() -> Any:
    """Ask for a link; the answer is the same whether an account has the address."""
    form = ForgotPasswordForm()
    outcome = form_action(
        form,
        lambda: password_reset.request_reset(form.email.data or ""),
        done=None,
        to=_answer,
    )
    if outcome.response:
        return outcome.response
    sent_to = session.pop(_SENT_TO, None) if not form.is_submitted() else None
    return render_page("accounts/forgot_password.html", outcome.status, form=form, sent_to=sent_to)


def _answer(address: str) -> str:
    session[_SENT_TO] = address
    return url_for("accounts.forgot_password")


def _logged_in_after(row: PasswordReset, password: str) -> User:
    user = password_reset.complete_reset(row, password)
    session.clear()
    services.start_login_session(user, remember=False)
    login_user(user)
    return user


@bp.route("/password/reset/<secret>", methods=["GET", "POST"])
@secret_lookup
def reset_password(secret: str) -> Any:
    """The link in the mail: GET shows the form (mail scanners open links),
    POST sets the password; the person is then logged in here, nowhere else."""
    row = password_reset.reset_for_secret(secret)
    form = ResetPasswordForm()
    outcome = form_action(
        form,
        lambda: _logged_in_after(row, form.new.data or ""),
        done=_l("Your new password is set. You are logged in; other devices have been logged out."),
        to=lambda _: url_for("review.dashboard"),
        fields={"password": "new"},
    )
    if outcome.response:
        return outcome.response
    page, code = render_page("accounts/reset_password.html", outcome.status, reset=row, form=form)
    resp = make_response(page, code)
    # The address holds the secret: keep it out of caches and Referer headers.
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
