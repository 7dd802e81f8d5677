"""Absolute URLs built from BASE_URL, the same in requests, the worker and the CLI.

Never from the request's ``Host`` header: a forged one (``Host:
attacker-host.invalid``) would come back in links, ``Location`` headers and
cached pages. :func:`absolute_url` is the one way to build an absolute URL,
and :class:`PinnedHost` makes sure that whatever else reads the host
(werkzeug's redirects to a trailing slash, ``request.host_url``,
``url_for(..., _external=True)`` in a library) reads BASE_URL's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, url_for
from flask.globals import app_ctx

#: Request headers that name a host; a proxy fix would believe them.
_HOST_HEADERS = ("HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_SERVER", "HTTP_FORWARDED")


class PinnedHost:
    """WSGI middleware: every request is seen as addressed to BASE_URL's host.

    The client's ``Host`` is replaced by BASE_URL's (and headers that name
    another host are dropped) before anything reads them. The scheme is left
    alone: it comes from the server, not from the client.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], base_url: str) -> None:
        parts = urlsplit(base_url)
        self.app = app
        self.host = parts.netloc
        self.server_name = parts.hostname or "localhost"
        self.server_port = str(parts.port or (443 if parts.scheme == "https" else 80))

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        environ["HTTP_HOST"] = self.host
        environ["SERVER_NAME"] = self.server_name
        environ["SERVER_PORT"] = self.server_port
        for name in _HOST_HEADERS:
            environ.pop(name, None)
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    """Pin the host; call last in ``create_app`` (the outermost middleware)."""
    app.wsgi_app = PinnedHost(app.wsgi_app, app.config["BASE_URL"])  # type: ignore[method-assign]


def absolute_url(endpoint: str, **values: Any) -> str:
    """``endpoint``'s absolute URL under BASE_URL (in requests, worker and CLI)."""
    base = current_app.config["BASE_URL"]
    parts = urlsplit(base)
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context("/", base_url=base):
            path = url_for(endpoint, **values)
    return f"{parts.scheme}://{parts.netloc}{path}"


UrlFor = Callable[..., str]

# Values that every converter and the query string carry unchanged.
_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
_INT_MARK = 7_391_000_000_000


def _template(
    build: Callable[[str, dict[str, Any]], str], endpoint: str, values: dict[str, Any]
) -> Any:
    """The literal pieces of ``endpoint``'s URL and the names of the values
    between them, or None where werkzeug has to build every URL."""
    marks = {
        name: _INT_MARK + n if isinstance(value, int) else f"mhslot{n}x"
        for n, (name, value) in enumerate(values.items())
    }
    try:
        url = build(endpoint, marks)
    except Exception:  # a converter that refuses a marker: no template
        return None
    found = []
    for name, mark in marks.items():
        if url.count(str(mark)) != 1:
            return None
        found.append((url.index(str(mark)), len(str(mark)), name))
    pieces, names, at = [], [], 0
    for start, length, name in sorted(found):
        pieces.append(url[at:start])
        names.append(name)
        at = start + length
    pieces.append(url[at:])
    return tuple(pieces), tuple(names)


def make_url_for() -> UrlFor:
    """A ``url_for(endpoint, **values)`` giving absolute URLs under BASE_URL,
    the same as :func:`mediahub.core.urls.absolute_url`.

    A feed of 500 episodes needs a few thousand URLs from a handful of
    endpoints. The URL map is bound once, and each endpoint is built once
    with marker values into a template that later calls fill in, which is a
    tenth of werkzeug's cost per URL. Only values that need no escaping
    (ids, UUIDs, slugs) are filled in that way; anything else, and any rule
    the markers do not come through unchanged, is built by werkzeug.
    """
    app = app_ctx.app
    base = app.config["BASE_URL"]
    parts = urlsplit(base)
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    # (endpoint, names and types) -> literal pieces and the value names
    # between them, or None where werkzeug has to build every URL.
    templates: dict[tuple, tuple[tuple[str, ...], tuple[str, ...]] | None] = {}

    def build(endpoint: str, values: dict[str, Any]) -> str:
        return adapter.build(endpoint, values, force_external=True)

    def url_for(endpoint: str, **values: Any) -> str:
        if not all(
            type(v) is int or (type(v) is str and _URL_SAFE.fullmatch(v)) for v in values.values()
        ):
            return build(endpoint, values)
        key = (endpoint, *((name, type(v)) for name, v in values.items()))
        if key not in templates:
            templates[key] = _template(build, endpoint, values)
        found = templates[key]
        if found is None:
            return build(endpoint, values)
        pieces, names = found
        out = [pieces[0]]
        for name, piece in zip(names, pieces[1:], strict=True):
            out += (str(values[name]), piece)
        return "".join(out)

    return url_for
