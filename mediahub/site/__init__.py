"""The public site: the hub's start page, group, episode and post pages,
the embed player, legal pages, sitemap and robots.txt."""

from __future__ import annotations

from flask import Flask

from mediahub.site import help_views, legal, seo, views
from mediahub.site.blueprint import bp
from mediahub.site.pictures import episode_picture, group_picture
from mediahub.site.texts import help_footer

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (help_views, legal, seo, views)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    app.register_blueprint(bp)
    app.jinja_env.globals["help_footer"] = help_footer
    app.jinja_env.globals["group_picture"] = group_picture
    app.jinja_env.globals["episode_picture"] = episode_picture
