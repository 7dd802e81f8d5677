"""Blog posts: a reviewable item kind with Markdown text."""

from __future__ import annotations

from flask import Flask

from mediahub.core.extensions import api as rest_api
from mediahub.posts import api, media_views, views
from mediahub.posts.kind import POST
from mediahub.review.kinds import register_kind

#: Modules imported for what they declare (routes on media's blueprint).
_DECLARING = (media_views,)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    register_kind(POST)
    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
