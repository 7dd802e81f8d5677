"""The WSGI application bench_servers.py serves: ``create_app()`` with the
feed responder (mediahub.feeds.responder) in front."""

from mediahub import create_app
from mediahub.feeds.files import FeedFiles
from mediahub.feeds.responder import FeedResponder, LocalFeedSource

app = create_app()
_outer = app.wsgi_app
if isinstance(_outer.app, FeedFiles):  # until the responder replaces WhiteNoise in create_app
    _outer.app = FeedResponder(
        _outer.app.application, LocalFeedSource(app.config["FEEDS_ROOT"] + "/public")
    )
