"""Public feed files, answered in front of Flask from where they are published.

Podcast apps poll every feed every few minutes; those requests need no
database, session or template, so a small WSGI layer answers them before
Flask: ``ETag``, ``Last-Modified``, 304, ``HEAD``, byte ranges,
``Cache-Control`` and the pre-compressed ``.gz`` twin for clients that accept
gzip. Anything that is not a public feed file goes on to Flask (which
answers 404 for a feed that does not exist).

Each representation has its own strong ETag (RFC 9110 §8.8.3: the plain and
the gzip body are different bytes, so a cache must not take one for the
other). What a request costs is one ``stat`` of the file it is answered
with (local folder) and a dictionary look-up: the headers of every answer
are prepared once per file version, and the bodies of recently served
versions are kept in memory up to a byte budget (others are read per request).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from typing import Any, Protocol

from mediahub.web.ranges import RangeNotSatisfiable, choose_range, if_range_holds

#: The file names a feed folder may serve, with their content types.
FEED_TYPES = {
    "podcast.xml": "application/rss+xml; charset=utf-8",
    "blog.atom": "application/atom+xml; charset=utf-8",
}
FEED_MAX_AGE = 300
#: The addresses of public feed files: the hub's, and each group's by its
#: short name (see mediahub.groups.services.SLUG_RE, at most 60 characters).
FEED_URL = re.compile(
    r"/feeds/((?:[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?/)?(?:podcast\.xml|blog\.atom))"
)
#: Bodies kept in memory per process (recent feed versions); 0 keeps none.
DEFAULT_BODY_BUDGET = 64 * 1024 * 1024

UNAVAILABLE = b"The feed cannot be read right now. Please try again in a minute.\n"
UNAVAILABLE_HEADERS = [
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Retry-After", "30"),
    ("Cache-Control", "no-store"),
    ("Content-Length", str(len(UNAVAILABLE))),
]

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
#: What a feed request is answered with: status line, headers, body.
Answer = tuple[str, list[tuple[str, str]], bytes]
_NOT_ALLOWED_HEADERS = [
    ("Allow", "GET, HEAD"),
    ("Content-Type", "text/plain"),
    ("Content-Length", "0"),
]


class SourceUnavailable(Exception):
    """The feeds' store cannot be reached and nothing kept can answer (503)."""


def file_etag(st: os.stat_result) -> str:
    """A validator that changes with every rewrite of a local file.

    Feeds are replaced atomically (new inode); nanosecond mtimes catch
    in-place writes within the same second to the same length too.
    """
    return f"{st.st_ino:x}-{st.st_mtime_ns:x}-{st.st_size:x}"


@dataclass(slots=True)
class FeedBody:
    """One body of a feed file (plain or gzip) as it is published now, with
    the headers of its answers prepared once."""

    identity: tuple[Any, ...]  # changes whenever the bytes may have changed
    content_type: str
    etag: str  # quoted, strong, different for the plain and the gzip body
    last_modified: str  # HTTP date
    size: int
    is_gzip: bool
    #: Returns the bytes; raises FileNotFoundError when they are gone.
    read: Callable[[], bytes]
    _headers: dict[bool, list[tuple[str, str]]] = field(default_factory=dict)

    def headers(self, *, full: bool) -> list[tuple[str, str]]:
        """The answer's headers (``full``: with the body's length)."""
        found = self._headers.get(full)
        if found is None:
            found = [
                ("Content-Type", self.content_type),
                ("Cache-Control", f"max-age={FEED_MAX_AGE}, public"),
                # Browser-based podcast players read feeds from other origins.
                ("Access-Control-Allow-Origin", "*"),
                ("X-Content-Type-Options", "nosniff"),
                ("Vary", "Accept-Encoding"),
                ("ETag", self.etag),
                ("Last-Modified", self.last_modified),
                ("Accept-Ranges", "bytes"),
            ]
            if self.is_gzip:
                found.append(("Content-Encoding", "gzip"))
            if full:
                found.append(("Content-Length", str(self.size)))
            self._headers[full] = found
        return found


class FeedSource(Protocol):
    """Where published feed files are read from (a folder, or storage)."""

    def lookup(self, name: str, gz: bool, *, fresh: bool = False) -> FeedBody | None:
        """The current body of ``name`` (``<slug>/podcast.xml``…): its gzip
        twin when ``gz`` and there is one, else the plain file; None when the
        feed does not exist. ``fresh``: look again now, whatever was kept
        (the body found before could not be read any more)."""


class BodyCache:
    """Bodies of recently served feed versions, bounded by their total size."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._used = 0
        self._items: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], read: Callable[[], bytes]) -> bytes:
        found = self._items.get(key)
        if found is not None:
            return found
        data = read()
        if len(data) > self.budget // 4:
            return data  # one huge file must not push out everything else
        with self._lock:
            if key not in self._items:
                self._items[key] = data
                self._used += len(data)
                while self._used > self.budget:
                    _old, dropped = self._items.popitem(last=False)
                    self._used -= len(dropped)
        return data


class LocalFeedSource:
    """Feed files in a local folder (``FEEDS_ROOT/public``).

    Feeds are rewritten while the server runs: the file a request is
    answered with (the plain file, or its ``.gz`` twin for a client that
    accepts gzip) is looked at (``stat``) again once ``revalidate_s`` seconds
    have passed since it was last looked at in this process (0: for every
    request), so a new feed is served, and a removed one stops, within that
    time — as the bucket's source does (FEEDS_REVALIDATE_SECONDS, 1 s). The
    prepared body is used again while it is the same file (inode, mtime and
    size); a body whose file was replaced since is never sent (its reader
    checks), the feed is then looked at afresh.
    """

    #: Prepared bodies kept (two per feed file); cleared when full.
    PREPARED_MAX = 16384

    def __init__(self, root: str | os.PathLike[str], revalidate_s: float = 0.0) -> None:
        self.root = os.fspath(root)
        self.revalidate_s = revalidate_s
        self._prepared: dict[tuple[str, bool], FeedBody] = {}
        # (name, gz) -> (when it was looked at, what was found)
        self._seen: dict[tuple[str, bool], tuple[float, FeedBody | None]] = {}

    def lookup(self, name: str, gz: bool, *, fresh: bool = False) -> FeedBody | None:
        if not self.revalidate_s:
            return self._look(name, gz)
        now = time.monotonic()
        seen = self._seen.get((name, gz))
        if seen is not None and not fresh and now - seen[0] < self.revalidate_s:
            return seen[1]
        found = self._look(name, gz)
        if len(self._seen) >= self.PREPARED_MAX:
            self._seen.clear()
        self._seen[(name, gz)] = (now, found)
        return found

    def _look(self, name: str, gz: bool) -> FeedBody | None:
        path = os.path.join(self.root, name)
        for is_gzip in (True, False) if gz else (False,):
            file = path + ".gz" if is_gzip else path
            try:
                st = os.stat(file)
            except (FileNotFoundError, NotADirectoryError):
                continue
            found = self._prepared.get((name, is_gzip))
            identity = _stat_key(st)
            if found is not None and found.identity == identity:
                return found
            if not _is_regular(st):  # a socket or device where a feed should be
                return None
            body = FeedBody(
                identity=identity,
                content_type=FEED_TYPES[os.path.basename(name)],
                etag=f'"{file_etag(st)}{"-gz" if is_gzip else ""}"',
                last_modified=formatdate(st.st_mtime, usegmt=True),
                size=st.st_size,
                is_gzip=is_gzip,
                read=_reader(file, identity),
            )
            if len(self._prepared) >= self.PREPARED_MAX:
                self._prepared.clear()
            self._prepared[(name, is_gzip)] = body
            return body
        return None


def _stat_key(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _is_regular(st: os.stat_result) -> bool:
    return (st.st_mode & 0o170000) == 0o100000


def _reader(path: str, expected: tuple[int, int, int]) -> Callable[[], bytes]:
    """Reads exactly the file that was stat'ed: a newer one (renamed over it
    since) counts as gone, so a body never goes out under an old ETag."""

    def read() -> bytes:
        with open(path, "rb") as fh:
            if _stat_key(os.fstat(fh.fileno())) != expected:
                raise FileNotFoundError(path)
            return fh.read()

    return read


class FeedResponder:
    """WSGI middleware answering ``/feeds/…`` public feed files from a source."""

    def __init__(
        self,
        app: WSGIApp,
        source: FeedSource,
        *,
        body_budget: int = DEFAULT_BODY_BUDGET,
        on_served: Callable[[dict[str, Any], int], None] | None = None,
    ) -> None:
        self.app = app
        self.source = source
        self.bodies = BodyCache(body_budget)
        #: Told of every answer given from a feed file (environ, status).
        self.on_served = on_served

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        match = FEED_URL.fullmatch(path) if path.startswith("/feeds/") else None
        if match is None:
            return self.app(environ, start_response)
        gz = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING"))
        answer: Answer | None = None
        try:
            # A file replaced between its stat and its reading is looked up once more.
            for attempt in range(2):
                body = self.source.lookup(match.group(1), gz, fresh=attempt > 0)
                if body is None:
                    break
                try:
                    answer = self._answer(environ, body)
                    break
                except FileNotFoundError:
                    continue
        except SourceUnavailable:
            start_response("503 Service Unavailable", UNAVAILABLE_HEADERS)
            return [UNAVAILABLE]
        if answer is None:
            return self.app(environ, start_response)  # Flask's 404
        status, headers, data = answer
        start_response(status, headers)
        if self.on_served is not None:
            self.on_served(environ, int(status[:3]))
        return [data]

    def _answer(self, environ: dict[str, Any], body: FeedBody) -> Answer:
        environ["mediahub.endpoint"] = "feeds.public"
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return "405 Method Not Allowed", _NOT_ALLOWED_HEADERS, b""
        if _not_modified(environ, body.etag, body.last_modified):
            return "304 Not Modified", body.headers(full=False), b""
        if method == "HEAD":
            return "200 OK", body.headers(full=True), b""
        data = self.bodies.get((body.etag, body.identity), body.read)
        range_header = environ.get("HTTP_RANGE")
        if range_header and if_range_holds(
            environ.get("HTTP_IF_RANGE"), body.etag, body.last_modified
        ):
            return _partial(body, data, range_header)
        return "200 OK", body.headers(full=True), data


def _partial(body: FeedBody, data: bytes, range_header: str) -> Answer:
    try:
        chosen = choose_range(range_header, body.size)
    except RangeNotSatisfiable:
        headers = [
            *body.headers(full=False),
            ("Content-Range", f"bytes */{body.size}"),
            ("Content-Length", "0"),
        ]
        return "416 Range Not Satisfiable", headers, b""
    if chosen is None:
        return "200 OK", body.headers(full=True), data
    start, stop = chosen
    headers = [
        *body.headers(full=False),
        ("Content-Range", f"bytes {start}-{stop - 1}/{body.size}"),
        ("Content-Length", str(stop - start)),
    ]
    return "206 Partial Content", headers, data[start:stop]


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (``gzip;q=0`` refuses it)."""
    if not header:
        return False
    if "gzip" not in header:  # the common spelling is checked without lowering
        header = header.lower()
        if "gzip" not in header:
            return False
    for part in header.split(","):
        coding, _, params = part.partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip"):
            continue
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                with contextlib.suppress(ValueError):
                    return float(value) > 0
                return False
        return True
    return False


def _not_modified(environ: dict[str, Any], etag: str, last_modified: str) -> bool:
    previous = environ.get("HTTP_IF_NONE_MATCH")
    if previous is not None:
        # Proxies that compress weaken ETags ("W/…"); a client may send several.
        if previous == etag:
            return True
        tags = {t.strip().removeprefix("W/") for t in previous.split(",")}
        return etag in tags or "*" in tags
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since is None:
        return False
    if since == last_modified:
        return True
    try:
        return parsedate_to_datetime(since) >= parsedate_to_datetime(last_modified)
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
