"""Feed URLs. Files are pre-rendered into FEEDS_ROOT and served as they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, send_file

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


def _serve(slug: str, name: str, mimetype: str) -> Any:
    from ..groups.models import Visibility
    from ..groups.services import group_by_slug

    group = group_by_slug(slug)
    # Private groups' feeds exist only behind per-listener secret URLs.
    if group is None or group.visibility == Visibility.PRIVATE:
        abort(404)
    path = Path(current_app.config["FEEDS_ROOT"]) / slug / name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=mimetype, conditional=True, max_age=300)


@bp.route("/<slug>/podcast.xml", methods=["GET", "HEAD"])
def podcast_feed(slug: str) -> Any:
    return _serve(slug, "podcast.xml", "application/rss+xml; charset=utf-8")


@bp.route("/<slug>/blog.atom", methods=["GET", "HEAD"])
def blog_feed(slug: str) -> Any:
    return _serve(slug, "blog.atom", "application/atom+xml; charset=utf-8")


@bp.route("/<slug>/private/<token>/podcast.xml", methods=["GET", "HEAD"])
def private_podcast_feed(slug: str, token: str) -> Any:
    # Placeholder until the private feed builder lands: unknown tokens 404.
    abort(404)
