"""Who is asking: one answer for pages, the API, media files and uploads.

A request names its person in one of two ways: the login session (the
browser's cookie, for pages) or an access token (``Authorization: Bearer
…``, for apps and scripts). Which of the two a part of the site believes is
decided here, once per request (kept in ``g``):

- pages (:func:`viewer`): the session only;
- the JSON API (:func:`api_caller`): the token only, so a page can never
  make a visitor's browser call it (no CSRF token needed there); a token
  that is sent but not valid is a 401;
- media files (:func:`media_caller`): the session or a valid token (a
  member listening in the browser, the app playing an episode);
- resumable uploads: the token, else the session with the CSRF token
  (:func:`accept_session_for_api`, for the web page's upload script).
"""

from __future__ import annotations

from typing import cast

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mediahub.accounts.models import ApiToken, User
from mediahub.accounts.services import user_for_api_token
from mediahub.core.errors import Unauthorized

_NOT_LOOKED_UP = object()


def viewer() -> User | None:
    """The person logged in with the session, or None (as predicates expect)."""
    user: User | None = current_user if current_user.is_authenticated else None
    return user


def bearer_token() -> str | None:
    """The secret of an ``Authorization: Bearer …`` header, if there is one."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def _token_lookup() -> tuple[User, ApiToken] | None:
    found = g.get("caller_token_lookup", _NOT_LOOKED_UP)
    if found is _NOT_LOOKED_UP:
        secret = bearer_token()
        found = user_for_api_token(secret) if secret else None
        g.caller_token_lookup = found
    return cast("tuple[User, ApiToken] | None", found)


def authenticate_token() -> None:
    """Decide the API's caller from the Authorization header.

    Raises:
        Unauthorized: a header is sent, but its token is not valid.
    """
    g.api_user = None
    g.api_token = None
    if not request.headers.get("Authorization"):
        return
    found = _token_lookup()
    if found is None:
        raise Unauthorized(_l("The access token is invalid or has expired. Please log in again."))
    g.api_user, g.api_token = found


def accept_session_for_api() -> User | None:
    """Without a token, let the logged-in session act in the API (the tus
    upload routes the web page calls); the caller checks the CSRF token."""
    if g.get("api_user") is None and (user := viewer()) is not None:
        g.api_user = user
        return user
    return None


def api_caller() -> User | None:
    """The API's caller (after :func:`authenticate_token`), or None."""
    user: User | None = g.get("api_user")
    return user


def api_token() -> ApiToken | None:
    """The access token this API request came with."""
    token: ApiToken | None = g.get("api_token")
    return token


def media_caller() -> User | None:
    """Who asks for a media file: the session's person, else a valid token's."""
    if (user := viewer()) is not None:
        return user
    found = _token_lookup()
    return found[0] if found else None


def any_caller() -> User | None:
    """The person a request acts for, by whichever way it came (rate limits)."""
    return api_caller() or viewer()
