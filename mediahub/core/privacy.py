"""Helpers that keep personal data out of storage."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from flask import current_app, request


def client_key() -> str:
    """A keyed hash of the client's address, for rate limits.

    The raw address never reaches storage (limiter buckets live in Redis in
    production); the key is derived from the app's secret, so the hash cannot
    be reversed by enumerating the IPv4 space without it.
    """
    addr = request.remote_addr or "unknown"
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"ip:" + addr.encode(), hashlib.sha256).hexdigest()[:32]


def account_key() -> str:
    """Rate-limit key for the account named in a login attempt (hashed too)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    # Any JSON may arrive here, before the schema has looked at it: a list, a number.
    email = str(data.get("email", "")) if isinstance(data, Mapping) else ""
    email = email.strip().lower()
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"account:" + email.encode(), hashlib.sha256).hexdigest()[:32]
