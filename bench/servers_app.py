"""The WSGI application bench_servers.py serves: ``create_app()`` with the
feed responder (mediahub.feeds.responder) in front, until create_app puts it there."""

from mediahub import create_app as _create_app
from mediahub.feeds.files import FeedFiles
from mediahub.feeds.responder import FeedResponder, LocalFeedSource


def create_app():
    app = _create_app()
    outer = app.wsgi_app
    if isinstance(outer.app, FeedFiles):
        root = app.config["FEEDS_ROOT"] + "/public"
        outer.app = FeedResponder(outer.app.application, LocalFeedSource(root))
    return app


app = create_app()
