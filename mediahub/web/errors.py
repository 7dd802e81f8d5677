"""One place that turns errors into answers: JSON under /api/, pages elsewhere.

Nobody ever sees a stack trace; unexpected errors are logged with one.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from markupsafe import escape
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from mediahub.core.errors import Conflict, DomainError
from mediahub.core.extensions import db

log = logging.getLogger(__name__)

#: Where the JSON API lives: errors there are answered as JSON.
API_PREFIX = "/api/v1"
#: Machine-read addresses outside the API (fediverse, WebFinger, NodeInfo): JSON errors too.
JSON_PREFIXES = (API_PREFIX + "/", "/fediverse/", "/.well-known/", "/nodeinfo/")


def _wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES) or request.path == API_PREFIX


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _respond(
    status: int,
    code: str,
    message: str,
    fields: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    if _wants_json():
        resp = jsonify(error_body(code, message, fields))
        resp.status_code = status
    else:
        try:
            page = render_template("errors/error.html", status=status, message=message)
        except Exception:  # the page needs what is down (the footer's texts)
            if status < 500:
                raise
            page = f"<!doctype html><title>{status}</title><p>{escape(message)}</p>"
        resp = make_response(page, status)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _flatten(messages: Any, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            # webargs nests by location ("json", "form", "files"): drop that level.
            name = (
                prefix
                if key in {"json", "form", "files", "query", "multipart"} and not prefix
                else (f"{prefix}.{key}" if prefix else str(key))
            )
            out.update(_flatten(value, name))
    elif isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        out[prefix or "_schema"] = " ".join(messages)
    elif isinstance(messages, list):
        for i, value in enumerate(messages):
            out.update(_flatten(value, f"{prefix}.{i}"))
    else:
        out[prefix or "_schema"] = str(messages)
    return out


def handle_domain_error(err: DomainError) -> Any:
    db.session.rollback()
    fields = {err.field: str(err.message)} if err.field else None
    headers = {"WWW-Authenticate": "Bearer"} if err.status == 401 else None
    return _respond(err.status, err.code, str(err.message), fields, headers)


def handle_http_exception(err: HTTPException) -> Any:
    status = err.code or 500
    data = getattr(err, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if messages:
        fields = _flatten(messages)
        summary = "; ".join(f"{k}: {v}" if k != "_schema" else v for k, v in fields.items())
        return _respond(
            status, "invalid", _("Please check your input. %(details)s", details=summary), fields
        )
    headers = {}
    if valid_methods := getattr(err, "valid_methods", None):
        headers["Allow"] = ", ".join(valid_methods)
    if isinstance(retry_after := getattr(err, "retry_after", None), int):
        headers["Retry-After"] = str(retry_after)
    return _respond(status, _http_code(status), _http_message(status, err), None, headers)


def _http_code(status: int) -> str:
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        415: "unsupported_media_type",
        422: "invalid",
        429: "rate_limited",
    }.get(status, "error")


def _http_message(status: int, err: HTTPException) -> str:
    messages = {
        400: _("The request could not be understood (for example, broken JSON)."),
        401: _("Please log in."),
        403: _("You are not allowed to do this."),
        404: _("This page does not exist (or is not visible to you)."),
        405: _("This kind of request is not supported here."),
        413: _("The file is too large."),
        415: _("This content type is not supported here."),
        429: _("Too many attempts. Please wait a minute and try again."),
    }
    return messages.get(status, err.description or _("Something went wrong."))


def handle_stale(err: StaleDataError) -> Any:
    return handle_domain_error(
        Conflict(
            _(
                "Someone else changed this in the meantime. Please reload it and make your changes "
                "again."
            ),
            code="stale",
        )
    )


def handle_integrity(err: IntegrityError) -> Any:
    log.info("integrity error: %s", err.orig)
    return handle_domain_error(
        Conflict(_("This conflicts with existing data (maybe it exists already)."), code="conflict")
    )


def handle_unexpected(err: Exception) -> Any:
    log.exception("unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return _respond(
        500,
        "internal",
        _("Something went wrong on our side. It has been logged; please try again later."),
    )


#: A server the hub needs does not answer: a clear 503, never a 500 or a trace.
OUTAGES: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    DisconnectionError,
    RedisConnectionError,
    RedisTimeoutError,
)


def handle_outage(err: Exception) -> Any:
    log.warning(
        "%s %s: unavailable: %s: %s", request.method, request.endpoint, type(err).__name__, err
    )
    with contextlib.suppress(Exception):  # the database may be what is down
        db.session.rollback()
    return _respond(
        503,
        "unavailable",
        _("This is not possible right now because a part of the hub is unreachable. "
          "Please try again in a minute."),
        headers={"Retry-After": "30"},
    )  # fmt: skip


def register_outage(app: Flask, error: type[Exception]) -> None:
    """Answer ``error`` (a feature's "server unreachable") with a clear 503."""
    app.register_error_handler(error, handle_outage)


def init_app(app: Flask) -> None:
    for outage in OUTAGES:
        register_outage(app, outage)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(StaleDataError, handle_stale)
    app.register_error_handler(IntegrityError, handle_integrity)
    app.register_error_handler(Exception, handle_unexpected)
