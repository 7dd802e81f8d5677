"""Password hashing with argon2id."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_PROFILES = {
    # RFC 9106's second recommendation: 64 MiB, t=3, p=4 — above OWASP's
    # minimum for argon2id (19 MiB, t=2, p=1).
    "rfc9106_low_memory": profiles.RFC_9106_LOW_MEMORY,
    # For tests only: fast, never for real accounts.
    "cheapest": profiles.CHEAPEST,
}


@functools.cache
def _hasher(profile: str) -> PasswordHasher:
    try:
        return PasswordHasher.from_parameters(_PROFILES[profile])
    except KeyError:
        raise ValueError(f"unknown PASSWORD_HASH_PROFILE {profile!r}") from None


def hasher() -> PasswordHasher:
    return _hasher(current_app.config["PASSWORD_HASH_PROFILE"])


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Check ``password``; with no stored hash, still spend the same time."""
    ph = hasher()
    if stored is None:
        # Hash anyway so that unknown accounts answer as slowly as known ones.
        ph.hash(password)
        return False
    try:
        return ph.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return hasher().check_needs_rehash(stored)
