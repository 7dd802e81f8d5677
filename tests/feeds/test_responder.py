"""The feed responder in front of Flask: one ETag per body, bodies never mixed up."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from werkzeug.test import Client

from mediahub.feeds.responder import BodyCache, FeedResponder, LocalFeedSource, accepts_gzip

RSS = b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel/></rss>\n' * 40


def inner_app(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/html")])
    return [b"flask"]


def publish(root: Path, name: str, body: bytes, *, gz: bool = True) -> Path:
    """Write like the feed writer: temp file + rename, then the .gz twin with the same mtime."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(".tmp")
    tmp.write_bytes(body)
    os.replace(tmp, path)
    if gz:
        tmp.write_bytes(gzip.compress(body, mtime=0))
        os.replace(tmp, path.with_name(path.name + ".gz"))
        st = path.stat()
        os.utime(path.with_name(path.name + ".gz"), ns=(st.st_atime_ns, st.st_mtime_ns))
    return path


@pytest.fixture
def root(tmp_path):
    return tmp_path / "public"


@pytest.fixture
def client(root):
    return Client(FeedResponder(inner_app, LocalFeedSource(root)))


URL = "/feeds/kreis/podcast.xml"


def test_plain_and_gzip_bodies_have_their_own_etags(client, root):
    publish(root, "kreis/podcast.xml", RSS)
    plain = client.get(URL)
    zipped = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert plain.data == RSS
    assert gzip.decompress(zipped.data) == RSS
    assert plain.headers["ETag"] != zipped.headers["ETag"]
    for resp in (plain, zipped):
        assert not resp.headers["ETag"].startswith("W/")  # strong validators
        assert resp.headers["Vary"] == "Accept-Encoding"


def test_each_etag_validates_only_its_own_body(client, root):
    publish(root, "kreis/podcast.xml", RSS)
    plain_tag = client.get(URL).headers["ETag"]
    gzip_tag = client.get(URL, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    same_gzip = client.get(URL, headers={"Accept-Encoding": "gzip", "If-None-Match": gzip_tag})
    assert same_gzip.status_code == 304
    assert same_gzip.headers["ETag"] == gzip_tag
    assert client.get(URL, headers={"If-None-Match": plain_tag}).status_code == 304
    # A cache holding the plain body must not be told that it is the gzip one.
    crossed = client.get(URL, headers={"Accept-Encoding": "gzip", "If-None-Match": plain_tag})
    assert crossed.status_code == 200
    assert crossed.headers["Content-Encoding"] == "gzip"
    assert client.get(URL, headers={"If-None-Match": gzip_tag}).data == RSS


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True),
        ("deflate, gzip;q=1.0, *;q=0.5", True),
        ("GZIP", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("gzip;q=abc", False),
        ("br, deflate", False),
        ("x-gzip", True),
        ("", False),
        (None, False),
    ],
)
def test_accept_encoding(header, expected):
    assert accepts_gzip(header) is expected


def test_refused_gzip_gets_the_plain_body(client, root):
    publish(root, "kreis/podcast.xml", RSS)
    resp = client.get(URL, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in resp.headers
    assert resp.data == RSS


def test_feed_without_a_twin_is_served_plain_to_gzip_clients(client, root):
    publish(root, "kreis/podcast.xml", RSS, gz=False)
    resp = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200
    assert "Content-Encoding" not in resp.headers
    assert resp.data == RSS


def test_a_file_replaced_after_its_stat_is_never_sent_under_the_old_etag(root):
    source = LocalFeedSource(root)
    publish(root, "kreis/podcast.xml", RSS)
    old = source.lookup("kreis/podcast.xml", False)
    publish(root, "kreis/podcast.xml", RSS.replace(b"channel", b"Channel"))
    with pytest.raises(FileNotFoundError):
        old.read()
    new = source.lookup("kreis/podcast.xml", False)
    assert new.etag != old.etag
    assert b"Channel" in new.read()


def test_rewrite_and_removal_are_seen_at_once(client, root):
    path = publish(root, "kreis/podcast.xml", RSS)
    first = client.get(URL, headers={"Accept-Encoding": "gzip"})
    publish(root, "kreis/podcast.xml", RSS + b"<!-- new -->")
    second = client.get(
        URL, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert second.status_code == 200
    assert gzip.decompress(second.data).endswith(b"<!-- new -->")
    path.unlink()
    path.with_name("podcast.xml.gz").unlink()
    gone = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert gone.status_code == 404
    assert gone.data == b"flask"


def test_with_a_revalidation_time_changes_show_within_it(root, monkeypatch):
    """Each process looks at a feed file at most once per FEEDS_REVALIDATE_SECONDS
    (the per-request stat was a sixth of a 304's cost); a rewrite and a
    removal show once that time has passed, never later."""
    clock = [1000.0]
    monkeypatch.setattr("mediahub.feeds.responder.time.monotonic", lambda: clock[0])
    client = Client(FeedResponder(inner_app, LocalFeedSource(root, revalidate_s=1.0)))
    path = publish(root, "kreis/podcast.xml", RSS)
    first = client.get(URL)
    publish(root, "kreis/podcast.xml", RSS + b"<!-- new -->")
    clock[0] += 0.5
    kept = client.get(URL, headers={"If-None-Match": first.headers["ETag"]})
    assert kept.status_code == 304  # within the second: what was found
    clock[0] += 0.6
    now = client.get(URL, headers={"If-None-Match": first.headers["ETag"]})
    assert now.status_code == 200 and now.data.endswith(b"<!-- new -->")
    path.unlink()
    path.with_name("podcast.xml.gz").unlink()
    clock[0] += 1.1
    assert client.get(URL).status_code == 404


def test_a_kept_body_whose_file_was_replaced_is_never_sent(root, monkeypatch):
    """Within the revalidation time the file is replaced: the old body cannot
    be read any more (its reader checks), and the new one is sent at once —
    not the old bytes, and not a 404."""
    monkeypatch.setattr("mediahub.feeds.responder.time.monotonic", lambda: 1000.0)
    client = Client(FeedResponder(inner_app, LocalFeedSource(root, revalidate_s=60.0)))
    publish(root, "kreis/podcast.xml", RSS, gz=False)
    first = client.get(URL, headers={"If-None-Match": '"nothing"'})
    assert first.status_code == 200
    publish(root, "kreis/podcast.xml", RSS.replace(b"channel", b"Channel"), gz=False)
    client.application.bodies = BodyCache(0)  # no body kept in memory: it is read
    second = client.get(URL)
    assert second.status_code == 200
    assert b"Channel" in second.data
    assert second.headers["ETag"] != first.headers["ETag"]


def test_head_and_ranges_answer_from_the_same_body(client, root):
    publish(root, "kreis/podcast.xml", RSS)
    head = client.head(URL)
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Length"] == str(len(RSS))
    part = client.get(URL, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.data == RSS[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(RSS)}"
    beyond = client.get(URL, headers={"Range": f"bytes={len(RSS) + 5}-"})
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{len(RSS)}"
    other = client.get(URL, headers={"Range": "bytes=0-9", "If-Range": '"not-this-file"'})
    assert other.status_code == 200
    assert other.data == RSS


def test_anything_but_a_feed_file_goes_on_to_flask(client, root):
    publish(root, "kreis/podcast.xml", RSS)
    (root / "kreis" / "notes.txt").write_bytes(b"secret")
    for url in (
        "/feeds/kreis/notes.txt",
        "/feeds/kreis/podcast.xml.gz",
        "/feeds/Kreis/podcast.xml",
    ):
        assert client.get(url).data == b"flask"
    assert client.post(URL).status_code == 405


def test_kept_bodies_stay_within_their_budget():
    cache = BodyCache(budget=1000)
    for n in range(50):
        assert cache.get(("feed", n), lambda n=n: bytes([n % 256]) * 200) == bytes([n % 256]) * 200
    assert sum(len(v) for v in cache._items.values()) <= 1000
    # One body larger than a quarter of the budget is served, never kept.
    assert cache.get(("huge",), lambda: b"x" * 600) == b"x" * 600
    assert ("huge",) not in cache._items


def test_the_app_gives_the_plain_and_the_gzip_feed_their_own_etags(app):
    from mediahub.feeds.store import current_store

    current_store().write("public/kreis/podcast.xml", RSS, gz=True)
    client = app.test_client()
    plain = client.get(URL)
    zipped = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert plain.headers["ETag"] != zipped.headers["ETag"]
    crossed = client.get(
        URL, headers={"Accept-Encoding": "gzip", "If-None-Match": plain.headers["ETag"]}
    )
    assert crossed.status_code == 200
    for resp in (plain, zipped, crossed):
        resp.close()
