"""Feed URLs.

Public feeds are answered by WhiteNoise in front of Flask
(:mod:`mediahub.feeds.files`); their routes here only build URLs and answer
404 for feeds that do not exist (any more). Private feeds come through Flask:
the listener's token is checked and put into the file's links.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from flask import Blueprint, Response, abort, current_app, request
from flask.globals import app_ctx

from mediahub.core import signals
from mediahub.feeds.files import FEED_TYPES, file_etag
from mediahub.feeds.paths import TOKEN_PLACEHOLDER, private_path
from mediahub.groups.feed_tokens import token_for_secret
from mediahub.web.guessing import secret_lookup
from mediahub.web.headers import private_headers
from mediahub.web.ranges import conditional

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


@bp.route("/<slug>/podcast.xml", methods=["GET", "HEAD"])
def podcast_feed(slug: str) -> Any:
    abort(404)  # the file does not exist: WhiteNoise would have answered


@bp.route("/<slug>/blog.atom", methods=["GET", "HEAD"])
def blog_feed(slug: str) -> Any:
    abort(404)


@bp.route("/podcast.xml", methods=["GET", "HEAD"])
def hub_podcast_feed() -> Any:
    abort(404)


@bp.route("/blog.atom", methods=["GET", "HEAD"])
def hub_blog_feed() -> Any:
    abort(404)


def _serve_private(slug: str, token: str, name: str) -> Any:
    row = token_for_secret(slug, token)
    if row is None:
        abort(404)
    path = private_path(current_app.config["FEEDS_ROOT"], slug, name)
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        abort(404)
    # Day of last use is noted even when the app only asks "changed?".
    # Per file version and token, never derived from the secret itself.
    etag = hashlib.sha256(f"{file_etag(st)}-{row.id}".encode())
    etag_value = etag.hexdigest()[:32]
    if request.if_none_match.contains_weak(etag_value):
        resp = Response(status=304)
        resp.set_etag(etag_value)
        return private_headers(resp)
    try:
        body = path.read_bytes()
    except FileNotFoundError:  # removed since the stat
        abort(404)
    body = body.replace(TOKEN_PLACEHOLDER.encode(), token.encode())
    resp = Response(body, mimetype=None)
    resp.headers["Content-Type"] = FEED_TYPES[name]
    resp.set_etag(etag_value)
    resp.last_modified = dt.datetime.fromtimestamp(st.st_mtime, dt.UTC)
    return private_headers(conditional(resp, len(body)))


def _counted(slug: str, feed: str, resp: Any) -> Any:
    # Listener statistics: a private feed's listeners are its subscribers too.
    if signals.feed_served.receivers:
        signals.feed_served.send(
            app_ctx.app,
            slug=slug,
            feed=feed,
            environ=request.environ,
            status=resp.status_code,
        )
    return resp


@bp.route("/<slug>/private/<token>/podcast.xml", methods=["GET", "HEAD"])
@secret_lookup
def private_podcast_feed(slug: str, token: str) -> Any:
    return _counted(slug, "podcast", _serve_private(slug, token, "podcast.xml"))


@bp.route("/<slug>/private/<token>/blog.atom", methods=["GET", "HEAD"])
@secret_lookup
def private_blog_feed(slug: str, token: str) -> Any:
    return _counted(slug, "blog", _serve_private(slug, token, "blog.atom"))
