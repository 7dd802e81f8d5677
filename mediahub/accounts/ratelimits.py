"""Login rate limits, shared by the login page and the token endpoint.

They are checked before the view runs, so a throttled attempt never costs
an argon2 hash.
"""

from __future__ import annotations

from flask import current_app

from ..extensions import limiter
from ..privacy import account_key


def _per_client() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _per_account() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


# Only attempts that send credentials count; showing the login page does not.
_posts_only = {"methods": ["POST"]}

login_limits = [
    limiter.limit(_per_client, **_posts_only),
    limiter.limit(_per_account, key_func=account_key, **_posts_only),
]


def limited(fn):
    for decorate in reversed(login_limits):
        fn = decorate(fn)
    return fn
