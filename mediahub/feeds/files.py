"""Public feed files, answered before Flask sees the request.

Podcast apps poll every feed every few minutes; those requests need no
database, session or template. :mod:`mediahub.feeds.responder` answers them
from where the feeds are published (:mod:`mediahub.feeds.store`: FEEDS_ROOT,
or the bucket with several web machines). Anything that is not a public
feed goes on to Flask, which answers 404 for a feed that does not exist.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from mediahub.core import signals
from mediahub.feeds.responder import FeedResponder
from mediahub.feeds.store import store_for


def feed_of(path: str) -> tuple[str | None, str]:
    """The group slug (None: the hub) and the feed ("podcast" or "blog") of a
    public feed's path."""
    parts = path.strip("/").split("/")
    slug = parts[1] if len(parts) == 3 else None
    return slug, "podcast" if parts[-1] == "podcast.xml" else "blog"


def init_app(app: Flask) -> None:
    """Put the feed responder in front of the Flask application."""

    receivers: list[Any] | None = None

    def served(environ: dict[str, Any], status: int) -> None:
        # Listener statistics count here (mediahub.stats.subscribers). The
        # receivers connect while the app is made; they are looked up once,
        # because blinker's send cost as much as the rest of a 304.
        nonlocal receivers
        if receivers is None:
            receivers = list(signals.feed_served.receivers_for(app))
        if receivers:
            slug, feed = feed_of(environ.get("PATH_INFO", ""))
            for receiver in receivers:
                receiver(app, slug=slug, feed=feed, environ=environ, status=status)

    app.wsgi_app = FeedResponder(  # type: ignore[method-assign]
        app.wsgi_app, store_for(app).public_source(), on_served=served
    )
