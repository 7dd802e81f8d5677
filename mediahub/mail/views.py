"""The page behind the unsubscribe link of every notification mail.

GET only shows a button: mail scanners and link previews open links, and
must not turn anybody's mails off. POST turns them off without a login and
without a CSRF token (RFC 8058 one-click: the mail program POSTs
``List-Unsubscribe=One-Click`` itself); the signed token in the address is
what authenticates it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, request
from flask_babel import lazy_gettext as _l

from mediahub.accounts.services import update_user
from mediahub.core.errors import NotFound
from mediahub.core.extensions import csrf
from mediahub.mail.unsubscribe import user_for_unsubscribe_token
from mediahub.web.guessing import secret_lookup
from mediahub.web.pages import render_page

bp = Blueprint("mail", __name__)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
@secret_lookup
def unsubscribe(token: str) -> Any:
    """Ask (GET), then turn notification mails off (POST)."""
    user = user_for_unsubscribe_token(token)
    if user is None:
        raise NotFound(
            _l(
                "This link is not valid (any more). You can turn notification mails off "
                "on your account page after logging in."
            ),
            code="unsubscribe_invalid",
        )
    done = request.method == "POST"
    if done:
        update_user(user, email_notifications=False)
    page, status = render_page("mail/unsubscribe.html", done=done, noindex=True)
    resp = make_response(page, status)
    # The address holds the token: keep it out of caches and Referer headers.
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
