"""Secret addresses: failed look-ups are counted and limited, found ones never.

Private feeds, their audio, transcripts, chapters and artwork, pictures in
posts, invitation links, unsubscribe links and email confirmation links
each open something with a secret in the address. Guessing one is hopeless
(128 bits and more), but a scanner still fills the logs and the database.

A limit on every request would lock out the real listeners: everyone behind
the same clinic Wi-Fi or carrier NAT as the scanner would get 429 for their
own valid feed. So a look-up is always carried out, and only when it finds
nothing (404) is the client's budget charged; a client over its budget gets
429 for the failed look-ups, while every valid address keeps working for it.

The counts live in Flask-Limiter's storage (Redis with several web
machines), keyed by the keyed hash of the client address, one budget for
every kind of secret address (spreading guesses over them gains nothing).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app
from werkzeug.exceptions import NotFound as HttpNotFound
from werkzeug.exceptions import TooManyRequests

from mediahub.core.budgets import spend
from mediahub.core.errors import NotFound
from mediahub.core.privacy import client_key

SCOPE = "secret-guesses"


def count_failed_lookup() -> None:
    """Charge this client one failed look-up of a secret address.

    Raises:
        TooManyRequests: the client has used up its budget
            (``SECRET_GUESS_LIMIT``); ``Retry-After`` says for how long.
    """
    retry_after = spend(SCOPE, client_key(), current_app.config["SECRET_GUESS_LIMIT"])
    if retry_after:
        raise TooManyRequests(retry_after=retry_after)


def secret_lookup(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a view that opens something by a secret in its address.

    Its 404 answers (``abort(404)`` or a domain ``NotFound``) are counted
    with :func:`count_failed_lookup`; every other answer costs nothing.
    """

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            resp = current_app.make_response(view(*args, **kwargs))
        except (HttpNotFound, NotFound):
            count_failed_lookup()
            raise
        if resp.status_code == 404:
            count_failed_lookup()
        return resp

    return wrapper
