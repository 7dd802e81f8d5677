"""Byte ranges (RFC 9110 §14), one implementation for every answer that
serves a file's bytes: media files, transcripts, chapters, waveforms,
artwork, private feeds (Flask) and public feeds (mediahub.feeds.responder).

werkzeug's own handling (``Response.make_conditional(accept_ranges=True,
complete_length=…)``, which ``send_file`` uses) answers 416 to requests that
RFC 9110 says to ignore or to serve: a unit it does not know, several
ranges, a suffix longer than the file. So the Range header is decided
here, once:

- no Range, a method other than GET, a unit other than ``bytes``, or an
  If-Range that does not match the current file: the whole file (200);
- one or several ranges: the first satisfiable one (206). RFC 9110 §14.2
  asks for "one or more" of the requested parts; a multipart/byteranges
  answer is not worth its cost here: players ask for one range at a time,
  and a list of overlapping ranges would let one request have the same
  bytes sent hundreds of times (the "range killer" attack on Apache);
- a suffix longer than the file: the whole file, as a 206;
- nothing satisfiable (every range begins after the end), or a malformed
  range (a start after its end): 416 with ``Content-Range: bytes */<length>``.

The chosen range is then handed on as one plain ``bytes=a-b`` range, which
werkzeug (or the feed responder) serves without any guessing of its own.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from werkzeug.http import is_resource_modified, parse_date, parse_range_header, unquote_etag
from werkzeug.wrappers import Response as BaseResponse


class RangeNotSatisfiable(Exception):
    """No requested range can be served (answer 416)."""


def choose_range(header: str | None, length: int) -> tuple[int, int] | None:
    """The ``(start, stop)`` bytes (stop exclusive) to send of a file of
    ``length`` bytes, or None for the whole file.

    Raises:
        RangeNotSatisfiable: every range starts beyond the end, or one is malformed.
    """
    if not header or length <= 0:
        return None
    unit, sep, specs = header.partition("=")
    if not sep or unit.strip(" \t").lower() != "bytes":
        return None  # RFC 9110 §14.2: a unit we do not know is ignored
    chosen = None
    for spec in specs.split(","):
        spec = spec.strip(" \t")
        if not spec:
            continue  # empty list elements are allowed (RFC 9110 §5.6.1)
        # werkzeug parses one range at a time (digits only, start <= end).
        parsed = parse_range_header(f"bytes={spec}")
        if parsed is None:
            raise RangeNotSatisfiable(spec)
        start, stop = parsed.ranges[0]
        if spec.startswith("-"):  # the last -start bytes, at most all of them
            start, stop = max(length + start, 0), length
        elif start >= length:
            continue  # begins after the end: not satisfiable
        else:
            stop = length if stop is None else min(stop, length)
        if chosen is None:
            chosen = (start, stop)
    if chosen is None:
        raise RangeNotSatisfiable(header)
    return chosen


def if_range_holds(if_range: str | None, etag: str | None, last_modified: str | None) -> bool:
    """Whether a Range may be served: without If-Range, or when it names the
    current file (RFC 9110 §13.1.5: a strong ETag, or exactly its date).

    Otherwise the client's part is of an older file and it gets the whole new one.
    """
    if not if_range:
        return True
    value = if_range.strip()
    if value.startswith(('"', "W/")):
        tag, weak = unquote_etag(value)
        if weak or not etag:
            return False
        current, current_weak = unquote_etag(etag)
        return not current_weak and tag == current
    date, current_date = parse_date(value), parse_date(last_modified)
    return date is not None and date == current_date


def not_satisfiable(length: int) -> Response:
    """The 416 answer, naming the file's length as RFC 9110 §15.5.17 asks."""
    resp = Response(status=416)
    resp.headers["Content-Range"] = f"bytes */{length}"
    resp.headers["Accept-Ranges"] = "bytes"
    return resp


def conditional(resp: BaseResponse, length: int) -> BaseResponse:
    """Make ``resp`` (the whole file, ``length`` bytes, ETag and Last-Modified
    set) answer the request's conditionals (304) and byte ranges (206, 416).

    Use instead of ``resp.make_conditional(request)``.
    """
    environ: dict[str, Any] = dict(request.environ)
    header = environ.pop("HTTP_RANGE", None)
    if_range = environ.pop("HTTP_IF_RANGE", None)
    etag, last_modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
    # A matching If-None-Match / If-Modified-Since answers 304 before any
    # range is looked at (RFC 9110 §13.2.2).
    wants_part = (
        header is not None
        and request.method == "GET"
        and if_range_holds(if_range, etag, last_modified)
        and is_resource_modified(environ, etag, last_modified=last_modified)
    )
    if wants_part:
        try:
            chosen = choose_range(header, length)
        except RangeNotSatisfiable:
            resp.close()
            return not_satisfiable(length)
        if chosen is not None:
            environ["HTTP_RANGE"] = f"bytes={chosen[0]}-{chosen[1] - 1}"
    return resp.make_conditional(environ, accept_ranges=True, complete_length=length)
