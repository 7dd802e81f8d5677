"""What counts as a download: the IAB Tech Lab Podcast Measurement rules (v2.x)
as pure functions.

- A download is a GET of an episode's audio through any of our addresses,
  answered with the file or a part of it by us, by nginx
  (``X-Accel-Redirect``) or by a CDN or S3 we redirect to (counted at the
  redirect, as the bytes then flow elsewhere). HEAD, 304, error answers and
  ``bytes=0-1`` alone (Apple's probe) are not.
- Requests of one listener for one episode on one day (in the hub's time
  zone) count once. Their byte ranges are joined; the download counts once
  they cover one minute of audio plus the ID3 header in front of it — or the
  whole file, when it is shorter than that.
- A feed fetch is a GET of a feed answered with the feed or a 304 (an app
  asking whether something is new is a subscriber too).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from mediahub.web.ranges import RangeNotSatisfiable, choose_range

#: Apple's first request for a file, to learn its length: not a download.
PROBE = (0, 2)
#: One minute of audio, as IAB asks (or the whole file, when shorter).
MINUTE_S = 60
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")

Range = tuple[int, int]


def audio_range(
    *,
    method: str,
    status: int,
    size: int,
    request_range: str | None = None,
    content_range: str | None = None,
    revalidation: bool = False,
    delegated: bool = False,
) -> Range | None:
    """The bytes ``(start, stop)`` (stop exclusive) a request for an audio file
    of ``size`` bytes received, or None when it is no download request.

    Args:
        method: the request's method (only GET counts).
        status: the answer's status code.
        request_range: the request's ``Range`` header.
        content_range: the answer's ``Content-Range`` (a 206 we sent).
        revalidation: the request carried ``If-None-Match`` or
            ``If-Modified-Since``: when another server answers (``delegated``),
            it answers 304 to a client that has the file.
        delegated: the bytes are sent by nginx (``X-Accel-Redirect``) or by
            the CDN or S3 we redirect to; what is sent is what was asked for.
    """
    if method != "GET" or size <= 0:
        return None
    if delegated:
        if revalidation or status not in (200, 302, 303, 307):
            return None
        try:
            chosen = choose_range(request_range, size)
        except RangeNotSatisfiable:
            return None
        got = chosen or (0, size)
    elif status == 200:
        got = (0, size)
    elif status == 206:
        found = _CONTENT_RANGE.fullmatch((content_range or "").strip())
        if found is None:
            return None
        got = (int(found.group(1)), min(int(found.group(2)) + 1, size))
    else:
        return None
    if got == PROBE or got[0] >= got[1]:
        return None
    return got


def needed_bytes(
    size: int,
    duration_s: float | None,
    bitrate_kbps: int | None = None,
    header_bytes: int | None = None,
) -> int:
    """How many bytes of a file a listener must have asked for: the ID3 header
    plus one minute of audio, or the whole file when it is shorter.

    Without a duration the whole file is needed. The header is what the file
    holds beyond its audio (``size - duration * bitrate``: our files are
    constant bit rate) unless it is known.
    """
    if size <= 0:
        return 0
    if not duration_s or duration_s <= 0 or not math.isfinite(duration_s):
        return size
    if duration_s <= MINUTE_S:
        return size
    per_second = bitrate_kbps * 125 if bitrate_kbps else size / duration_s
    if header_bytes is None:
        header_bytes = max(0, size - round(duration_s * per_second))
    return min(size, header_bytes + math.ceil(MINUTE_S * per_second))


def covered(ranges: Iterable[Range]) -> int:
    """How many different bytes the ranges cover together (overlaps once)."""
    total = 0
    end = -1
    for start, stop in sorted(ranges):
        if stop <= end:
            continue
        total += stop - max(start, end)
        end = stop
    return total


def is_download(ranges: Iterable[Range], needed: int) -> bool:
    """Whether one listener's ranges of one episode on one day make a download."""
    return needed > 0 and covered(ranges) >= needed


def is_feed_fetch(method: str, status: int) -> bool:
    """A feed request that shows an app asking for the feed."""
    return method == "GET" and status in (200, 206, 304)
