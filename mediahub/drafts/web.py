"""The request side: catch a form posted without a valid login or CSRF token,
keep its text, and give it back in the form after logging in.

The hook runs before Flask-WTF's CSRF check: after a long time of writing,
the session (and with it the CSRF token) may be gone, and that must not cost
the text. Nothing is done for the posting: the person logs in (or just
reloads) and saves again, knowingly.

Only text typed into our own form is kept. The form carries a ticket, signed
with the app's secret when the page was shown to a logged-in person, naming
that person and the page; a posting without a valid ticket for its own page
(a made-up form, a page that was never shown, such as a group that does not
exist), from another site (Origin/Referer), or beyond the budgets (per
person, per client address, on the whole hub) gets the usual answers and
nothing is stored.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, after_this_request, current_app, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import Markup
from wtforms import ValidationError

from mediahub.core.budgets import spend
from mediahub.core.extensions import db
from mediahub.core.privacy import client_key
from mediahub.drafts import services

COOKIE = "mediahub_draft"
TICKET_FIELD = "draft_ticket"
#: A form may be open this long and still have its text kept (longer than a
#: login lasts without "stay logged in": 12 hours).
TICKET_MAX_AGE = 24 * 3600
#: Kept drafts per person and per client address (a clinic's shared one).
PER_PERSON = "5 per hour"
PER_CLIENT = "20 per hour"

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
    base = urlsplit(current_app.config["BASE_URL"])
    ours = f"{base.scheme}://{base.netloc}"
    return source == ours or source.startswith(ours + "/")


def _tickets() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="mediahub.drafts.ticket")


def ticket_field() -> Markup:
    """The hidden field with this page's ticket (templates: ``{{ draft_ticket() }}``)."""
    if not current_user.is_authenticated:
        return Markup("")
    ticket = _tickets().dumps({"p": request.path, "u": current_user.id})
    return Markup('<input type="hidden" name="{}" value="{}">').format(TICKET_FIELD, ticket)


def _ticket_owner() -> int | None:
    """The person a valid ticket for this page was issued to, or None."""
    raw = request.form.get(TICKET_FIELD, "")
    try:
        data = _tickets().loads(raw, max_age=TICKET_MAX_AGE) if raw else None
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("p") != request.path:
        return None
    owner = data.get("u")
    return owner if type(owner) is int else None


def _within_budget(owner: int) -> bool:
    by_person = spend("kept-drafts", f"person:{owner}", PER_PERSON)
    by_client = spend("kept-drafts", f"client:{client_key()}", PER_CLIENT)
    return not (by_person or by_client)


def _keep_draft() -> Any:
    if request.method != "POST" or request.endpoint not in ENDPOINTS:
        return None
    logged_in = current_user.is_authenticated
    if logged_in and _csrf_ok():
        return None  # an ordinary save
    owner = _ticket_owner()
    if owner is None or not _same_origin() or (logged_in and owner != current_user.id):
        return None  # the usual answers (login, CSRF error) apply
    if not _within_budget(owner):
        return None
    secret = services.keep(request.path, owner, request.form)
    if secret is None:
        return None  # nothing typed (or no room): the usual answers apply
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
    if not current_user.is_authenticated:
        return {}
    fields = services.take(secret, request.path, current_user.id)

    @after_this_request
    def _forget(resp: Any) -> Any:
        if fields is not None:
            resp.delete_cookie(COOKIE, path="/")
        return resp

    if fields is None:
        return {}
    flash(RESTORED, "info")
    return {"formdata": fields}


def init_app(app: Flask) -> None:
    # First of all before_request hooks: ahead of CSRFProtect's.
    app.before_request_funcs.setdefault(None, []).insert(0, _keep_draft)
    app.jinja_env.globals["draft_ticket"] = ticket_field
