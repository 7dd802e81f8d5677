"""Public feed files, answered before Flask sees the request.

Podcast apps poll every feed every few minutes; those requests need no
database, session or template. :mod:`mediahub.feeds.responder` answers them
from where the feeds are published (:mod:`mediahub.feeds.store`: FEEDS_ROOT,
or the bucket with several web machines). Anything that is not a public
feed goes on to Flask, which answers 404 for a feed that does not exist.
"""

from __future__ import annotations

from flask import Flask

from mediahub.feeds.responder import FeedResponder
from mediahub.feeds.store import store_for


def init_app(app: Flask) -> None:
    """Put the feed responder in front of the Flask application."""
    app.wsgi_app = FeedResponder(app.wsgi_app, store_for(app).public_source())  # type: ignore[method-assign]
