"""Byte ranges as RFC 9110 has them, on every address that serves bytes.

Each answer is compared with the exact bytes of the file: a 206 must carry
precisely the range its Content-Range names, a 200 the whole file.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.feeds.paths import private_path, public_path
from mediahub.groups import feed_tokens as tokens
from mediahub.review.workflow import ItemState
from mediahub.storage import current_storage as storage
from tests.conftest import close_every_answer

#: Every byte value, so that a range from a wrong offset cannot look right.
AUDIO = bytes(range(256)) * 9 + b"end"
N = len(AUDIO)
FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>R</title>'
    + b"".join(b"<item><title>%d</title></item>" % n for n in range(40))
    + b"</channel></rss>\n"
)

WHOLE = "whole"
UNSATISFIABLE = "416"

#: (Range header, the bytes expected: a slice, the whole file, or 416).
CASES: list[tuple[str, Any]] = [
    ("bytes=0-99", slice(0, 100)),
    ("bytes=100-", slice(100, None)),
    ("bytes=-100", slice(-100, None)),
    ("bytes=0-0", slice(0, 1)),
    ("bytes=5-5", slice(5, 6)),
    ("bytes=7-7000000", slice(7, None)),
    ("bytes=-99999999999", slice(0, None)),  # a suffix longer than the file: all of it
    ("bytes=0-1,5-6", slice(0, 2)),  # several ranges: the first one
    ("bytes=0-1, 5-6, 9-", slice(0, 2)),
    ("bytes=99999999-,10-19", slice(10, 20)),  # the first one that can be served
    ("Bytes=10-19", slice(10, 20)),  # units are case-insensitive
    ("items=0-5", WHOLE),  # a unit we do not know: ignored
    ("bytes", WHOLE),
    ("bytes=5-1", UNSATISFIABLE),  # start after end
    ("bytes=99999999-", UNSATISFIABLE),  # begins beyond the end
    ("bytes=99999999999999999999999999-", UNSATISFIABLE),
    ("bytes=-0", UNSATISFIABLE),
    ("bytes=abc", UNSATISFIABLE),
    ("bytes=", UNSATISFIABLE),
    ("bytes=0-1,x", UNSATISFIABLE),
    ("bytes=+1-2", UNSATISFIABLE),
    ("bytes=١-٢", UNSATISFIABLE),  # noqa: RUF001 - non-ASCII digits are not digits here
]

#: The cases every other address is checked with.
CORE = [c for c in CASES if c[0] in {"bytes=0-99", "bytes=5-5", "bytes=-99999999999",
                                      "bytes=0-1,5-6", "items=0-5", "bytes=5-1",
                                      "bytes=99999999-"}]  # fmt: skip


@pytest.fixture
def client(client: Any) -> Any:
    return close_every_answer(client)


def _publish(episode: Any) -> Any:
    episode.status = ItemState.PUBLISHED
    episode.published_at = utcnow()
    asset = episode.audio
    stored = storage().save(asset.rendition_key, io.BytesIO(AUDIO))
    asset.rendition_size, asset.rendition_sha256 = stored.size, stored.sha256
    episode.transcript_vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nWillkommen.\n" * 20
    episode.chapters = [{"start_s": 0.0, "title": "Ankommen"}, {"start_s": 4.5, "title": "Runde"}]
    db.session.commit()
    return episode


@pytest.fixture
def addresses(app: Any, make_user: Any, make_group: Any, make_episode: Any) -> dict[str, str]:
    """Every kind of address that serves bytes, by name."""
    manager = make_user("Mira")
    public = make_group("offen", members={manager: "manager"})
    private = make_group("kreis", visibility="private", members={manager: "manager"})
    episode = _publish(make_episode(public, manager))
    hidden = _publish(make_episode(private, manager))
    _row, url = tokens.create_token(private, manager, label="Anna")
    db.session.commit()
    secret = url.split("/private/")[1].split("/")[0]
    root = app.config["FEEDS_ROOT"]
    path = public_path(root, "zwischenraum", "podcast.xml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FEED)
    private_path(root, "kreis", "podcast.xml").parent.mkdir(parents=True, exist_ok=True)
    private_path(root, "kreis", "podcast.xml").write_bytes(FEED)
    from mediahub.site.meta import cover_url

    return {
        "audio": f"/media/episodes/{episode.guid}.mp3",
        "private audio": f"/media/private/{secret}/episodes/{hidden.guid}.mp3",
        "transcript": f"/media/episodes/{episode.guid}.vtt",
        "chapters": f"/media/private/{secret}/episodes/{hidden.guid}.chapters.json",
        "public feed": "/feeds/zwischenraum/podcast.xml",
        "private feed": f"/feeds/kreis/private/{secret}/podcast.xml",
        "cover": cover_url(public).removeprefix("http://hub.test"),
    }


def _check(resp: Any, whole: bytes, expected: Any) -> None:
    size = len(whole)
    if expected == WHOLE:
        assert resp.status_code == 200
        assert resp.data == whole
        assert "Content-Range" not in resp.headers
    elif expected == UNSATISFIABLE:
        assert resp.status_code == 416
        assert resp.headers["Content-Range"] == f"bytes */{size}"
    else:
        start, stop, _ = expected.indices(size)
        assert resp.status_code == 206, resp.data[:200]
        assert resp.data == whole[expected]
        assert resp.headers["Content-Range"] == f"bytes {start}-{stop - 1}/{size}"
        assert resp.headers["Content-Length"] == str(stop - start)


@pytest.mark.parametrize(("header", "expected"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("kind", ["audio", "public feed"])
def test_every_range_header(client, addresses, kind, header, expected):
    whole = client.get(addresses[kind])
    assert whole.status_code == 200
    assert whole.data == (AUDIO if kind == "audio" else FEED)
    assert whole.headers["Accept-Ranges"] == "bytes"
    _check(client.get(addresses[kind], headers={"Range": header}), whole.data, expected)


@pytest.mark.parametrize(("header", "expected"), CORE, ids=[c[0] for c in CORE])
@pytest.mark.parametrize(
    "kind", ["private audio", "transcript", "chapters", "private feed", "cover"]
)
def test_every_address_serves_ranges_alike(client, addresses, kind, header, expected):
    whole = client.get(addresses[kind]).data
    assert len(whole) > 100
    _check(client.get(addresses[kind], headers={"Range": header}), whole, expected)


def _validators(client: Any, url: str) -> tuple[str, str]:
    resp = client.get(url)
    return resp.headers["ETag"], resp.headers.get("Last-Modified", "")


IF_RANGE: list[tuple[str, Callable[[str, str], str], Any]] = [
    ("same etag", lambda etag, date: etag, slice(0, 10)),
    ("same date", lambda etag, date: date, slice(0, 10)),
    ("older etag", lambda etag, date: '"an-older-file"', WHOLE),
    ("weak etag", lambda etag, date: f"W/{etag}", WHOLE),
    ("older date", lambda etag, date: "Mon, 01 Jan 2001 00:00:00 GMT", WHOLE),
]


@pytest.mark.parametrize(("case", "if_range", "expected"), IF_RANGE, ids=[c[0] for c in IF_RANGE])
@pytest.mark.parametrize("kind", ["audio", "public feed", "private feed"])
def test_if_range_resumes_only_the_same_file(client, addresses, kind, case, if_range, expected):
    url = addresses[kind]
    etag, date = _validators(client, url)
    whole = client.get(url).data
    resp = client.get(url, headers={"Range": "bytes=0-9", "If-Range": if_range(etag, date)})
    _check(resp, whole, expected)


@pytest.mark.parametrize("kind", ["audio", "public feed", "transcript"])
def test_head_and_not_modified_ignore_ranges(client, addresses, kind):
    url = addresses[kind]
    head = client.head(url, headers={"Range": "bytes=0-9"})
    assert head.status_code == 200 and head.data == b""
    etag, _date = _validators(client, url)
    # A matching If-None-Match wins over a range, even an unsatisfiable one.
    for header in ("bytes=0-9", "bytes=99999999-"):
        resp = client.get(url, headers={"Range": header, "If-None-Match": etag})
        assert resp.status_code == 304
