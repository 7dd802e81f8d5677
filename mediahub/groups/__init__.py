"""Groups: settings, cover art, members, invitations, private feed addresses."""

from __future__ import annotations

from flask import Flask

from mediahub.core.extensions import api as rest_api
from mediahub.groups import (
    api,
    feed_token_views,
    invitation_views,
    media_views,
    tasks,
    views,
)
from mediahub.groups.blueprint import bp

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (feed_token_views, invitation_views, media_views, views, tasks)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    app.register_blueprint(bp)
    rest_api.register_blueprint(api.blp)
