"""Feed files published into a local folder or the bucket, served by any web machine."""

from __future__ import annotations

import contextlib
import gzip
import os
import time

import pytest
from werkzeug.test import Client

from mediahub.feeds import bucket_source
from mediahub.feeds.responder import FeedResponder
from mediahub.feeds.store import LocalFeedStore, S3FeedStore
from tests.storage.conftest import make_s3_storage, moto_endpoint  # noqa: F401 - fixtures

RSS = b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel/></rss>\n' * 30
URL = "/feeds/kreis/podcast.xml"


def flask_404(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/html")])
    return [b"flask"]


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalFeedStore(tmp_path / "feeds")
    return S3FeedStore(request.getfixturevalue("make_s3_storage")(), revalidate_s=0.2)


def test_write_read_remove(store):
    assert store.write("public/kreis/podcast.xml", RSS, gz=True) is True
    assert store.write("public/kreis/podcast.xml", RSS, gz=True) is False  # same bytes: untouched
    first = store.read("public/kreis/podcast.xml")
    assert first.data == RSS
    store.write("public/kreis/podcast.xml", RSS + b"<!-- 2 -->", gz=True)
    assert store.read("public/kreis/podcast.xml").version != first.version
    store.write("private/geheim/podcast.xml", b"<rss>__FEED_TOKEN__</rss>", gz=False)
    assert store.group_slugs() == {"public": {"kreis"}, "private": {"geheim"}}
    assert store.remove("public/kreis/podcast.xml") is True
    assert store.read("public/kreis/podcast.xml") is None
    store.remove_group("private", "geheim")
    store.remove_group("public", "kreis")
    assert store.group_slugs() == {"public": set(), "private": set()}


def test_two_web_machines_serve_the_same_published_feed(store):
    """Each responder has its own source, as two web machines have."""
    one = Client(FeedResponder(flask_404, store.public_source()))
    two = Client(FeedResponder(flask_404, store.public_source()))
    assert one.get(URL).status_code == 404
    store.write("public/kreis/podcast.xml", RSS, gz=True)
    time.sleep(0.25)  # the bucket source looks again after its revalidation time
    for client in (one, two):
        plain = client.get(URL)
        assert plain.status_code == 200
        assert plain.data == RSS
        assert plain.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
        zipped = client.get(URL, headers={"Accept-Encoding": "gzip"})
        assert gzip.decompress(zipped.data) == RSS
        assert zipped.headers["ETag"] != plain.headers["ETag"]
        again = client.get(URL, headers={"If-None-Match": plain.headers["ETag"]})
        assert again.status_code == 304
    store.remove("public/kreis/podcast.xml")
    time.sleep(0.25)
    assert one.get(URL).status_code == 404
    assert two.get(URL, headers={"Accept-Encoding": "gzip"}).status_code == 404


def test_private_feeds_are_never_answered_as_public(store):
    store.write("private/kreis/podcast.xml", RSS, gz=True)
    client = Client(FeedResponder(flask_404, store.public_source()))
    assert client.get(URL).data == b"flask"


def test_an_unreachable_bucket_keeps_answering_what_it_read_and_503_otherwise(
    make_s3_storage,  # noqa: F811 - the fixture
):
    store = S3FeedStore(make_s3_storage(), revalidate_s=0.0)
    store.write("public/kreis/podcast.xml", RSS, gz=False)
    client = Client(FeedResponder(flask_404, store.public_source()))
    assert client.get(URL).status_code == 200
    with _unreachable(store) as attempts:
        stale = client.get(URL)
        assert stale.status_code == 200
        assert stale.data == RSS
        # Only the plain body was read: an app that accepts gzip gets that one.
        plain = client.get(URL, headers={"Accept-Encoding": "gzip"})
        assert (plain.status_code, plain.data) == (200, RSS)
        never_read = client.get("/feeds/other/podcast.xml")
        assert never_read.status_code == 503
        assert never_read.headers["Retry-After"] == "30"
    # One quick attempt, then the bucket is left alone for a while.
    assert attempts == [1]


def test_other_processes_of_a_machine_answer_from_its_kept_copy(
    make_s3_storage,  # noqa: F811 - the fixture
    tmp_path,
):
    store = S3FeedStore(make_s3_storage(), revalidate_s=0.0, kept_dir=tmp_path / "kept")
    store.write("public/kreis/podcast.xml", RSS, gz=True)
    first = Client(FeedResponder(flask_404, store.public_source()))
    read = first.get(URL, headers={"Accept-Encoding": "gzip"})
    plain = first.get(URL)
    other_machine = S3FeedStore(store.storage, revalidate_s=0.0, kept_dir=tmp_path / "elsewhere")
    with _unreachable(store):
        # A process that never read the feed (or the one after a restart).
        second = Client(FeedResponder(flask_404, store.public_source()))
        zipped = second.get(URL, headers={"Accept-Encoding": "gzip"})
        assert zipped.status_code == 200
        assert gzip.decompress(zipped.data) == RSS
        assert zipped.headers["ETag"] == read.headers["ETag"]
        assert zipped.headers["Last-Modified"] == read.headers["Last-Modified"]
        again = second.get(URL, headers={"If-None-Match": plain.headers["ETag"]})
        assert again.status_code == 304
        elsewhere = Client(FeedResponder(flask_404, other_machine.public_source()))
        assert elsewhere.get(URL).status_code == 503
    # A feed removed from the bucket is not answered from the copy afterwards.
    store.remove("public/kreis/podcast.xml")
    assert first.get(URL, headers={"Accept-Encoding": "gzip"}).status_code == 404
    assert first.get(URL).status_code == 404
    with _unreachable(store):
        third = Client(FeedResponder(flask_404, store.public_source()))
        assert third.get(URL).status_code == 503


def test_a_feed_not_seen_current_for_an_hour_is_not_answered_without_the_bucket(
    make_s3_storage,  # noqa: F811 - the fixture
    tmp_path,
):
    """A group may have gone private while nobody asked for its public feed."""
    store = S3FeedStore(make_s3_storage(), revalidate_s=0.0, kept_dir=tmp_path / "kept")
    store.write("public/kreis/podcast.xml", RSS, gz=False)
    source = store.public_source()
    client = Client(FeedResponder(flask_404, source))
    assert client.get(URL).status_code == 200
    copy = tmp_path / "kept" / "kreis" / "podcast.xml"
    hours_ago = time.time() - 2 * bucket_source.STALE_MAX_S
    os.utime(copy, (hours_ago, hours_ago))
    # Seen current again (the bucket answers 304): the copy is good for another hour.
    source._touched.clear()
    assert client.get(URL).status_code == 200
    assert copy.stat().st_mtime > time.time() - 60
    os.utime(copy, (hours_ago, hours_ago))
    with _unreachable(store):
        fresh_process = Client(FeedResponder(flask_404, store.public_source()))
        assert fresh_process.get(URL).status_code == 503
        # What a process read itself is bounded the same way.
        source._known = {k: (v[0] - 2 * bucket_source.STALE_MAX_S, v[1])
                         for k, v in source._known.items()}  # fmt: skip
        assert client.get(URL).status_code == 503


def test_a_folder_that_cannot_take_copies_costs_only_the_fallback(
    make_s3_storage,  # noqa: F811 - the fixture
    tmp_path,
    caplog,
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    store = S3FeedStore(make_s3_storage(), revalidate_s=0.0, kept_dir=blocked)
    store.write("public/kreis/podcast.xml", RSS, gz=True)
    store.write("public/other/podcast.xml", RSS, gz=True)
    client = Client(FeedResponder(flask_404, store.public_source()))
    for url in (URL, "/feeds/other/podcast.xml"):
        assert client.get(url).data == RSS
        assert gzip.decompress(client.get(url, headers={"Accept-Encoding": "gzip"}).data) == RSS
    warnings = [r for r in caplog.records if "cannot be kept" in r.getMessage()]
    assert len(warnings) == 1


@contextlib.contextmanager
def _unreachable(store):
    """The bucket cannot be reached; yields the list of attempts made (one count)."""
    from botocore.exceptions import EndpointConnectionError

    attempts = [0]

    def refuse(**_kw):
        attempts[0] += 1
        raise EndpointConnectionError(endpoint_url="http://s3.invalid")

    events = store.storage.quick_client.meta.events
    events.register("before-send.s3.*", refuse)
    try:
        yield attempts
    finally:
        events.unregister("before-send.s3.*", refuse)
