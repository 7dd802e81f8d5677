"""Logging in and out, the password, the language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from mediahub.accounts import services
from mediahub.accounts.blueprint import bp
from mediahub.accounts.forms import CreditForm, LanguageForm, LoginForm, PasswordForm
from mediahub.accounts.passwords import verify_password
from mediahub.accounts.ratelimits import limited, password_checked
from mediahub.core.errors import InvalidInput
from mediahub.core.i18n import LANG_COOKIE, LANG_COOKIE_MAX_AGE


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let phishing mails use our name.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("review.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limited
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The email address or the password is wrong."))
        else:
            services.start_login_session(user, remember=form.remember.data)
            session.clear()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    if current_user.is_authenticated and current_user.login_session is not None:
        services.end_login_session(current_user.login_session)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("site.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@password_checked
def change_password() -> Any:
    form = PasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            try:
                services.set_password(current_user, form.new.data, keep=current_user.login_session)
            except InvalidInput as err:
                form.new.errors.append(str(err.message))
            else:
                flash(_("Your password is changed. Other devices have been logged out."), "success")
                return redirect(url_for("review.dashboard"))
    credit_form = CreditForm(formdata=None, is_credited=current_user.is_credited)
    return render_template(
        "accounts/password.html", form=form, credit_form=credit_form
    ), 422 if form.errors else 200


@bp.route("/account/credit", methods=["POST"])
@login_required
def set_credited() -> Any:
    """Opt in to (or out of) being named as author on public pages and in feeds."""
    form = CreditForm()
    if form.validate_on_submit():
        services.update_user(current_user, is_credited=form.is_credited.data)
        if form.is_credited.data:
            flash(_("Your name now appears with your published episodes and posts."), "success")
        else:
            flash(_("Your name no longer appears on public pages and in feeds."), "success")
    return redirect(url_for("accounts.change_password"))


def _language_response(locale: str, target: str | None) -> Any:
    resp = redirect(_safe_next(target))
    resp.set_cookie(
        LANG_COOKIE,
        locale,
        max_age=LANG_COOKIE_MAX_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return resp


@bp.route("/language", methods=["POST"])
def set_language() -> Any:
    """Switch the language; a logged-in person keeps it on every device."""
    form = LanguageForm()
    if not form.validate_on_submit():
        return redirect(_safe_next(request.form.get("next")))
    if current_user.is_authenticated:
        services.update_user(current_user, locale=form.locale.data)
    return _language_response(form.locale.data, request.form.get("next"))


@bp.route("/language/<any(de, en):locale>")
def switch_language(locale: str) -> Any:
    """The visitors' switch: a plain link that only sets the language cookie
    (changing an account's language takes the form, with its CSRF token)."""
    return _language_response(locale, request.args.get("next"))
