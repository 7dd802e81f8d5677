"""Absolute URLs for feeds, outside any request (worker, CLI).

The builder takes a plain ``url_for(endpoint, **values) -> str`` callable, so
tests can hand it fixed URLs; :func:`feed_url_for` is the real one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

UrlFor = Callable[..., str]


def make_url_for() -> UrlFor:
    """A ``url_for(endpoint, **values)`` giving absolute URLs under BASE_URL,
    the same as :func:`mediahub.urls.absolute_url`.

    The URL map is bound once: a feed of 500 episodes needs a few thousand
    URLs, and a request context per URL would cost most of the rebuild.
    """
    app = current_app._get_current_object()
    base = app.config["BASE_URL"]
    parts = urlsplit(base)
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)

    def url_for(endpoint: str, **values: Any) -> str:
        return adapter.build(endpoint, values, force_external=True)

    return url_for
