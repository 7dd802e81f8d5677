"""Requests made to look at a file rather than to listen to it.

Browsers fetch links ahead of a click (Chrome's speculation rules and
``<link rel=prefetch>``: ``Sec-Purpose: prefetch``; Safari's Top Sites:
``X-Purpose: preview``; Firefox: ``X-Moz: prefetch``) and draw previews of
pages; nobody has pressed play. Such requests are never counted.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Headers browsers mark speculative and preview requests with.
PURPOSE_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
_WORDS = ("prefetch", "preview", "prerender")


def is_preview(environ: Mapping[str, object]) -> bool:
    """Whether the WSGI request is a browser's prefetch or preview."""
    for name in PURPOSE_HEADERS:
        value = environ.get(name)
        if isinstance(value, str) and any(word in value.lower() for word in _WORDS):
            return True
    return False
