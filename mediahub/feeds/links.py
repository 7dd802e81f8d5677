"""Absolute URLs for feeds, outside any request (worker, CLI).

The builder takes a plain ``url_for(endpoint, **values) -> str`` callable, so
tests can hand it fixed URLs; :func:`mediahub.core.urls.make_url_for` is the real
one, fast enough for the thousands of URLs of a long feed.
"""

from __future__ import annotations

from mediahub.core.urls import UrlFor, make_url_for

__all__ = ["UrlFor", "make_url_for"]
