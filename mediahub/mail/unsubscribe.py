"""Signed links that turn notification mails off (RFC 8058 one-click).

The token is the person's id, signed with the app's secret (itsdangerous,
its own salt, no expiry: a mail may be read months later). The signing key
also covers the email address the mail went to, without putting it into
the link: after an address change, links in mails to the old address stop
working, so whoever has the old mailbox now cannot silence the new one.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from mediahub.accounts.models import User
from mediahub.core.extensions import db
from mediahub.core.urls import absolute_url

_SALT = "mediahub.mail.unsubscribe"


def _serializer(email: str | None = None) -> URLSafeSerializer:
    salt = f"{_SALT}:{email.strip().lower()}" if email is not None else _SALT
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def unsubscribe_token(user: User) -> str:
    return _serializer(user.email).dumps(user.id)


def unsubscribe_url(user: User) -> str:
    """The absolute one-click link for ``user``'s notification mails."""
    return absolute_url("mail.unsubscribe", token=unsubscribe_token(user))


def user_for_unsubscribe_token(token: str) -> User | None:
    """The person a valid token belongs to, or None (tampered, old address, gone)."""
    # Read the id first (unverified, JSON only), then check the signature
    # with the key bound to that person's current address.
    _valid, user_id = _serializer().loads_unsafe(token)
    # Anything else is a forgery; a huge number would make PostgreSQL fail.
    if type(user_id) is not int or not 0 < user_id < 2**31:
        return None
    user = db.session.get(User, user_id)
    if user is None:
        return None
    try:
        _serializer(user.email).loads(token)
    except BadData:
        return None
    return user
