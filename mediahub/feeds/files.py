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
import re
from email.utils import formatdate
from http import HTTPStatus
from pathlib import Path
from typing import Any

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.responders import MissingFileError, NotARegularFileError, SlicedFile, StaticFile
from whitenoise.responders import Response as WhiteNoiseResponse

from mediahub.core import signals
from mediahub.web.ranges import RangeNotSatisfiable, choose_range, if_range_holds

#: The file names a feed folder may serve, with their content types.
FEED_TYPES = {
    "podcast.xml": "application/rss+xml; charset=utf-8",
    "blog.atom": "application/atom+xml; charset=utf-8",
}
FEED_MAX_AGE = 300
PREFIX = "/feeds/"
#: The addresses of public feed files: the hub's, and each group's by its
#: short name (see mediahub.groups.services.SLUG_RE, at most 60 characters).
FEED_URL = re.compile(
    r"/feeds/(?:[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?/)?(?:podcast\.xml|blog\.atom)"
)


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

    def __init__(
        self, path: str, headers: list[tuple[str, str]], stats: dict[str, os.stat_result]
    ) -> None:
        st = stats[path]
        self._last_modified_header = formatdate(st.st_mtime, usegmt=True)
        headers = [
            *headers,
            ("ETag", f'"{file_etag(st)}"'),
            ("Last-Modified", self._last_modified_header),
            ("Accept-Ranges", "bytes"),
        ]
        # The writer makes .gz siblings only; there is no .br to look for.
        super().__init__(path, headers, encodings={"gzip": path + ".gz"}, stat_cache=stats)

    def get_response(self, method: str, request_headers: dict[str, Any]) -> Any:
        # Ranges as everywhere else (mediahub.web.ranges): GET only, and only of
        # the file the client's If-Range names.
        if "HTTP_RANGE" in request_headers and not (
            method == "GET"
            and if_range_holds(
                request_headers.get("HTTP_IF_RANGE"), self.etag, self._last_modified_header
            )
        ):
            request_headers = {k: v for k, v in request_headers.items() if k != "HTTP_RANGE"}
        return super().get_response(method, request_headers)

    def get_range_response(
        self, range_header: str, base_headers: Any, file_handle: Any
    ) -> WhiteNoiseResponse:
        headers = [(k, v) for k, v in base_headers if k != "Content-Length"]
        size = int(dict(base_headers)["Content-Length"])
        try:
            chosen = choose_range(range_header, size)
        except RangeNotSatisfiable:
            return self.get_range_not_satisfiable_response(file_handle, size)
        if chosen is None:
            raise ValueError(range_header)  # WhiteNoise then sends the whole file
        start, stop = chosen
        if file_handle is not None:
            file_handle = SlicedFile(file_handle, start, stop - 1)
        headers.append(("Content-Range", f"bytes {start}-{stop - 1}/{size}"))
        headers.append(("Content-Length", str(stop - start)))
        return WhiteNoiseResponse(HTTPStatus.PARTIAL_CONTENT, headers, file_handle)

    def is_not_modified(self, request_headers: dict[str, Any]) -> bool:
        previous = request_headers.get("HTTP_IF_NONE_MATCH")
        if previous is not None:
            # Proxies that compress weaken ETags ("W/…"); a client may send several.
            tags = {t.strip().removeprefix("W/") for t in previous.split(",")}
            return self.etag in tags or "*" in tags
        return super().is_not_modified(request_headers)


def _stats(path: str) -> dict[str, os.stat_result]:
    """The feed's and its .gz twin's (if any): two stats per request."""
    stats = {path: os.stat(path)}
    with contextlib.suppress(FileNotFoundError):
        stats[path + ".gz"] = os.stat(path + ".gz")
    return stats


def _identity(stats: dict[str, os.stat_result]) -> tuple[str, ...]:
    return tuple(sorted(f"{name}:{file_etag(st)}" for name, st in stats.items()))


#: Feed files kept prepared (headers, alternatives) between requests.
_PREPARED_MAX = 4096


class FeedFiles(WhiteNoise):
    """WhiteNoise over ``FEEDS_ROOT/public``, reading the folder per request.

    Preparing a response (WhiteNoise's headers and alternatives) costs most
    of the time of a request; it is kept per file and used again while the
    file and its .gz twin are the same ones (same inode, mtime and size).
    """

    def __init__(
        self, application: Any, root: str | os.PathLike[str], flask_app: Flask | None = None
    ) -> None:
        super().__init__(application, autorefresh=True, max_age=FEED_MAX_AGE)
        self.add_files(str(root), prefix=PREFIX)
        self._prepared: dict[str, tuple[tuple[str, ...], FeedFile]] = {}
        #: The sender of ``feed_served`` (listener statistics count there).
        self.flask_app = flask_app

    def find_file(self, url: str) -> Any:
        # Only the feeds themselves: never a writer's temporary file or
        # anything else that may lie in the folder, and never a name the
        # file system would choke on (NUL, "..", 300 characters): Flask
        # answers those with 404.
        if not FEED_URL.fullmatch(url):
            return None
        try:
            return super().find_file(url)
        except NotARegularFileError:  # a socket or device where a feed should be
            return None

    def get_static_file(self, path: str, url: str, stat_cache: Any = None) -> Any:
        try:
            stats = _stats(path)
        except FileNotFoundError:
            raise MissingFileError(path) from None
        identity = _identity(stats)
        prepared = self._prepared.get(path)
        if prepared is not None and prepared[0] == identity:
            return prepared[1]
        headers = [
            ("Content-Type", FEED_TYPES[posixpath.basename(path)]),
            ("Cache-Control", f"max-age={FEED_MAX_AGE}, public"),
            # Browser-based podcast players read feeds from other origins.
            ("Access-Control-Allow-Origin", "*"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        feed = FeedFile(path, headers, stats)
        if len(self._prepared) >= _PREPARED_MAX:
            self._prepared.clear()
        self._prepared[path] = (identity, feed)
        return feed

    def serve(  # WhiteNoise's is a staticmethod; an instance's works the same
        self, static_file: Any, environ: dict[str, Any], start_response: Any
    ) -> Any:
        if self.flask_app is None or not signals.feed_served.receivers:
            return WhiteNoise.serve(static_file, environ, start_response)
        answered: list[str] = []

        def start(status: str, headers: Any, exc_info: Any = None) -> Any:
            answered.append(status)
            return start_response(status, headers, exc_info)

        result = WhiteNoise.serve(static_file, environ, start)
        slug, feed = feed_of(environ.get("PATH_INFO", ""))
        signals.feed_served.send(
            self.flask_app, slug=slug, feed=feed, environ=environ, status=int(answered[0][:3])
        )
        return result

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            return super().__call__(environ, start_response)
        except FileNotFoundError:
            # Removed between looking and opening: as if it had never been there.
            return self.application(environ, start_response)


def feed_of(path: str) -> tuple[str | None, str]:
    """The group slug (None: the hub) and the feed ("podcast" or "blog") of a
    public feed's path."""
    parts = path.strip("/").split("/")
    slug = parts[1] if len(parts) == 3 else None
    return slug, "podcast" if parts[-1] == "podcast.xml" else "blog"


def init_app(app: Flask) -> None:
    """Put the feed files in front of the Flask application."""
    root = Path(app.config["FEEDS_ROOT"]) / "public"
    app.wsgi_app = FeedFiles(app.wsgi_app, root, app)  # type: ignore[method-assign]
