"""Blueprints of the JSON API: Bearer-token authentication, no cookies.

The API never looks at the session cookie, so it needs no CSRF token and a
page cannot make a visitor's browser call it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import missing
from webargs.flaskparser import FlaskParser, is_json_request
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from mediahub.accounts.models import User
from mediahub.accounts.services import user_for_api_token
from mediahub.api.fields import FormText
from mediahub.core.errors import Unauthorized, UnsupportedMediaType
from mediahub.core.extensions import csrf
from mediahub.web.transaction import commit_on_success

PREFIX = "/api/v1"
_BODY_TYPES = {"application/json", "multipart/form-data"}


class InputParser(FlaskParser):
    """webargs' parser, reading JSON through the request's one bounded,
    cleaning JSON parser (:mod:`mediahub.web.jsonbody`) instead of its own.

    Values of query strings and form fields are marked as :class:`FormText`:
    there every value is text, so a number or a boolean may come in its JSON
    spelling ("3", "true"), which a JSON body must send as a JSON value.
    """

    def _raw_load_json(self, req: Any) -> Any:
        if not is_json_request(req) or not req.get_data(cache=True):
            return missing
        return req.get_json()

    def load_querystring(self, req: Any, schema: Any) -> Any:
        return self._makeproxy(_form_text(req.args), schema)

    def load_form(self, req: Any, schema: Any) -> Any:
        return self._makeproxy(_form_text(req.form), schema)


def _form_text(values: MultiDict) -> MultiDict:
    return MultiDict(
        [(k, FormText(v) if isinstance(v, str) else v) for k, v in values.items(multi=True)]
    )


class ApiBlueprint(Blueprint):
    """A smorest blueprint that also knows the ``multipart`` location: form
    fields and files of one multipart/form-data body, documented as one
    request body (smorest documents only one body per operation)."""

    ARGUMENTS_PARSER = InputParser()
    PAGINATION_ARGUMENTS_PARSER = InputParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }

    def response(self, status_code: Any, schema: Any = None, **kwargs: Any) -> Any:
        """smorest's ``response``, with the request's commit right before the
        answer is dumped: the answer shows what was stored (ids, versions,
        and whatever the commit's after-commit work changed)."""
        document = super().response(status_code, schema, **kwargs)

        def decorator(func: Callable[..., Any]) -> Any:
            @functools.wraps(func)
            def committed(*args: Any, **kw: Any) -> Any:
                return commit_on_success(lambda: func(*args, **kw))

            return document(committed)

        return decorator


@ApiBlueprint.ARGUMENTS_PARSER.location_loader("multipart")
def _load_multipart(req: Any, schema: Any) -> Any:
    return MultiDictProxy(CombinedMultiDict([req.files, _form_text(req.form)]), schema)


def api_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    blp = ApiBlueprint(name, import_name, url_prefix=PREFIX, description=description)
    blp.before_request(_authenticate)
    blp.before_request(_check_content_type)
    csrf.exempt(blp)
    return blp


def bearer_token() -> str | None:
    """The secret of an ``Authorization: Bearer …`` header, if there is one."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def _authenticate() -> None:
    g.api_user = None
    g.api_token = None
    if not request.headers.get("Authorization"):
        return
    secret = bearer_token()
    found = user_for_api_token(secret) if secret else None
    if found is None:
        raise Unauthorized(_l("The access token is invalid or has expired. Please log in again."))
    g.api_user, g.api_token = found


def accepts_raw_body(*mimetypes: str) -> Any:
    """Let a view also take a plain body of these types (e.g. ``text/vtt``).

    Put it right above the view function (smorest's decorators copy the mark).
    """

    def mark(fn: Any) -> Any:
        fn.raw_body_types = frozenset(mimetypes)
        return fn

    return mark


def _check_content_type() -> None:
    has_body = request.method in {"POST", "PUT", "PATCH"} and request.content_length
    view = current_app.view_functions.get(request.endpoint or "")
    allowed = _BODY_TYPES | getattr(view, "raw_body_types", frozenset())
    if has_body and request.mimetype not in allowed:
        raise UnsupportedMediaType(
            _l("Send JSON (Content-Type: application/json) or, for files, multipart/form-data.")
        )


def current_api_user() -> User | None:
    return g.get("api_user")


def require_user() -> User:
    user = current_api_user()
    if user is None:
        raise Unauthorized(_l("Please log in: send an access token as 'Authorization: Bearer …'."))
    return user
