"""Domain errors raised by services; views and the API map them to 4xx."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A request that cannot be carried out, with a message a person can act on.

    ``message`` may be a lazy translation string; it is rendered in the
    language of the request when shown.
    """

    status = 400
    code = "bad_request"

    def __init__(self, message: Any, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The item's state does not allow this (wrong state, stale edit, duplicate)."""

    status = 409
    code = "conflict"


class InvalidInput(DomainError):
    status = 422
    code = "invalid"


def require(allowed: bool, message: Any = None) -> None:
    """Raise a 403 unless ``allowed`` (the outcome of a ``can_*`` predicate)."""
    if not allowed:
        raise PermissionDenied(message or _l("You are not allowed to do this."))


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


class BadJSON(DomainError):
    """The request body is not JSON we accept (broken, too deep, NaN...)."""

    status = 400
    code = "bad_json"


class TooLarge(DomainError):
    status = 413
    code = "too_large"
