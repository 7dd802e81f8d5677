"""Public feed files, answered by WhiteNoise before Flask sees the request.

Podcast apps poll every feed every few minutes; those requests need no
database, session or template. WhiteNoise answers them from
``FEEDS_ROOT/public`` with ETag, Last-Modified, 304, HEAD, Cache-Control and
the pre-compressed ``.gz`` sibling. Anything it does not find (a removed
feed, an unknown group) goes on to Flask, which answers 404.

Feeds are rewritten while the server runs, so the files are looked up per
request (one ``stat`` for the feed and one for its ``.gz``) instead of once
at start-up: a new feed is served at once, a removed one stops at once.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
from email.utils import formatdate
from pathlib import Path
from typing import Any

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.responders import MissingFileError, NotARegularFileError, StaticFile

#: The file names a feed folder may serve, with their content types.
FEED_TYPES = {
    "podcast.xml": "application/rss+xml; charset=utf-8",
    "blog.atom": "application/atom+xml; charset=utf-8",
}
FEED_MAX_AGE = 300
PREFIX = "/feeds/"


def file_etag(st: os.stat_result) -> str:
    """A validator that changes with every rewrite.

    WhiteNoise's own (mtime in whole seconds + size) stays the same when a
    feed is rewritten within a second to the same length — a corrected typo.
    Feeds are replaced atomically (new inode), and nanosecond mtimes catch
    in-place writes too.
    """
    return f"{st.st_ino:x}-{st.st_mtime_ns:x}-{st.st_size:x}"


class FeedFile(StaticFile):
    """One feed file, with a precise ETag and If-None-Match lists understood."""

    def __init__(self, path: str, headers: list[tuple[str, str]]) -> None:
        # Two stats per request (the feed and its .gz), handed to WhiteNoise.
        stats = {path: os.stat(path)}
        with contextlib.suppress(FileNotFoundError):
            stats[path + ".gz"] = os.stat(path + ".gz")
        st = stats[path]
        headers = [
            *headers,
            ("ETag", f'"{file_etag(st)}"'),
            ("Last-Modified", formatdate(st.st_mtime, usegmt=True)),
        ]
        # The writer makes .gz siblings only; there is no .br to look for.
        super().__init__(path, headers, encodings={"gzip": path + ".gz"}, stat_cache=stats)

    def is_not_modified(self, request_headers: dict[str, Any]) -> bool:
        previous = request_headers.get("HTTP_IF_NONE_MATCH")
        if previous is not None:
            # Proxies that compress weaken ETags ("W/…"); a client may send several.
            tags = {t.strip().removeprefix("W/") for t in previous.split(",")}
            return self.etag in tags or "*" in tags
        return super().is_not_modified(request_headers)


class FeedFiles(WhiteNoise):
    """WhiteNoise over ``FEEDS_ROOT/public``, reading the folder per request."""

    def __init__(self, application: Any, root: str | os.PathLike[str]) -> None:
        super().__init__(application, autorefresh=True, max_age=FEED_MAX_AGE)
        self.add_files(str(root), prefix=PREFIX)

    def find_file(self, url: str) -> Any:
        # Only the feeds themselves: never a writer's temporary file or
        # anything else that may lie in the folder.
        if posixpath.basename(url) not in FEED_TYPES or url.count("/") > 3:
            return None
        try:
            return super().find_file(url)
        except NotARegularFileError:  # a socket or device where a feed should be
            return None

    def get_static_file(self, path: str, url: str, stat_cache: Any = None) -> Any:
        headers = [
            ("Content-Type", FEED_TYPES[posixpath.basename(path)]),
            ("Cache-Control", f"max-age={FEED_MAX_AGE}, public"),
            # Browser-based podcast players read feeds from other origins.
            ("Access-Control-Allow-Origin", "*"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        try:
            return FeedFile(path, headers)
        except FileNotFoundError:
            raise MissingFileError(path) from None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            return super().__call__(environ, start_response)
        except FileNotFoundError:
            # Removed between looking and opening: as if it had never been there.
            return self.application(environ, start_response)


def init_app(app: Flask) -> None:
    """Put the feed files in front of the Flask application."""
    root = Path(app.config["FEEDS_ROOT"]) / "public"
    app.wsgi_app = FeedFiles(app.wsgi_app, root)  # type: ignore[method-assign]
