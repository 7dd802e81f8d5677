"""The request side: catch a form posted without a valid login or CSRF token,
keep its text, and give it back in the form after logging in.

The hook runs before Flask-WTF's CSRF check: after a long time of writing,
the session (and with it the CSRF token) may be gone, and that must not cost
the text. Nothing is done for the posting: the person logs in (or just
reloads) and saves again, knowingly.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, after_this_request, current_app, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from ..extensions import db
from . import services

COOKIE = "mediahub_draft"

#: Forms whose text is worth keeping: writing episodes and posts.
ENDPOINTS = frozenset(
    {"posts.new_post", "posts.edit_post", "episodes.new_episode", "episodes.edit_episode"}
)

LOGIN_AGAIN = _l(
    "Your login had ended, so your text was not saved yet. It is kept safe for one hour: "
    "please log in, and it will be back in the form."
)
RESTORED = _l(
    "Here is the text you had typed. It is not saved yet: please check it and save again."
    " (A chosen file has to be chosen again.)"
)


def _csrf_ok() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        return False
    return True


def _same_origin() -> bool:
    """Whether the browser says the form came from one of our pages.

    Without this, another site could post made-up text that would then be
    offered back in a member's form (nothing is saved, but still).
    """
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    ours = current_app.config["BASE_URL"]
    return source == ours or source.startswith(ours + "/")


def _keep_draft() -> Any:
    if request.method != "POST" or request.endpoint not in ENDPOINTS:
        return None
    if not _same_origin():
        return None  # the usual answers (login, CSRF error) apply
    logged_in = current_user.is_authenticated
    if logged_in and _csrf_ok():
        return None
    secret = services.keep(request.path, request.form)
    if secret is None:
        return None  # nothing typed: the usual answers (login, CSRF error) apply
    db.session.commit()
    if logged_in:
        target = request.path
    else:
        flash(LOGIN_AGAIN, "info")
        target = url_for("accounts.login", next=request.path)
    resp = redirect(target)
    resp.set_cookie(
        COOKIE,
        secret,
        max_age=int(services.LIFETIME.total_seconds()),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
        path="/",
    )
    return resp


def form_kwargs() -> dict[str, Any]:
    """``formdata`` for a form shown again after a kept draft, else nothing.

    Use as ``PostForm(obj=post, **drafts.form_kwargs())``.
    """
    secret = request.cookies.get(COOKIE)
    if request.method != "GET" or not secret:
        return {}
    fields = services.take(secret, request.path)

    @after_this_request
    def _forget(resp: Any) -> Any:
        if fields is not None:
            resp.delete_cookie(COOKIE, path="/")
        return resp

    if fields is None:
        return {}
    db.session.commit()
    flash(RESTORED, "info")
    return {"formdata": fields}


def init_app(app: Flask) -> None:
    # First of all before_request hooks: ahead of CSRFProtect's.
    app.before_request_funcs.setdefault(None, []).insert(0, _keep_draft)
