"""Blueprints of the JSON API: Bearer-token authentication, no cookies.

The API never looks at the session cookie, so it needs no CSRF token and a
page cannot make a visitor's browser call it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import missing
from webargs.flaskparser import FlaskParser, is_json_request
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from mediahub.api.fields import FormText
from mediahub.core.errors import Unauthorized, UnsupportedMediaType
from mediahub.core.extensions import csrf
from mediahub.web.errors import API_PREFIX
from mediahub.web.transaction import commit_on_success

if TYPE_CHECKING:
    from mediahub.accounts.models import User

PREFIX = API_PREFIX
_BODY_TYPES = {"application/json", "multipart/form-data"}


class InputParser(FlaskParser):
    """webargs' parser, reading JSON through the request's one bounded,
    cleaning JSON parser (:mod:`mediahub.web.jsonbody`) instead of its own.

    Values of query strings and form fields are marked as :class:`FormText`:
    there every value is text, so a number or a boolean may come in its JSON
    spelling ("3", "true"), which a JSON body must send as a JSON value.
    """

    def _raw_load_json(self, req: Any) -> Any:
        # req.is_json also knows our other JSON types (application/json+chapters),
        # which only views marked with accepts_raw_body let through.
        if not (is_json_request(req) or req.is_json) or not req.get_data(cache=True):
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
    blp.before_request(login_first)
    blp.before_request(_check_content_type)
    csrf.exempt(blp)
    return blp


def public(fn: Any) -> Any:
    """Let anybody call this view without a login (what it answers may still
    depend on who asks). Every other API view needs a valid login, checked
    before anything of the request is read (:func:`login_first`).

    Put it right above the view function (smorest's decorators copy the mark).
    """
    fn.is_public = True
    return fn


def login_first() -> None:
    """Refuse a call without a login (401) before its body is parsed or
    validated: nobody learns from field errors what an endpoint they may not
    use would take, and no work is done for them.

    Raises:
        Unauthorized: the view is not :func:`public` and nobody is logged in.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method == "OPTIONS" or getattr(view, "is_public", False):
        return
    require_user()


def _authenticate() -> None:
    # Who the caller is, is the accounts feature's business (accounts.identity),
    # which sets it in its init_app: the API's plumbing knows no accounts.
    authenticate = current_app.extensions["mediahub.api_authenticate"]
    authenticate()


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


def require_user() -> User:
    user: User | None = g.get("api_user")
    if user is None:
        raise Unauthorized(_l("Please log in: send an access token as 'Authorization: Bearer …'."))
    return user
