"""Feed files as podcast apps see them: HTTP caching, compression, private tokens."""

from __future__ import annotations

import gzip
import os
import uuid
from pathlib import Path

import pytest

from mediahub.core.extensions import db
from mediahub.feeds.paths import private_path, public_path
from mediahub.groups import feed_tokens as tokens
from mediahub.groups.models import FeedToken
from tests.conftest import close_every_answer

RSS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<rss version="2.0"><channel><title>Zwischenraum</title></channel></rss>\n'
)


def write_feed(root: str, slug: str | None, name: str, body: bytes, *, gz: bool = True) -> Path:
    """Write like the feed writer does: temp file + os.replace, .gz sibling, same mtime."""
    path = public_path(root, slug, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{name}.tmp")
    tmp.write_bytes(body)
    os.replace(tmp, path)
    if gz:
        tmp.write_bytes(gzip.compress(body))
        os.replace(tmp, path.with_name(name + ".gz"))
        st = path.stat()
        os.utime(path.with_name(name + ".gz"), ns=(st.st_atime_ns, st.st_mtime_ns))
    return path


@pytest.fixture
def root(app):
    return app.config["FEEDS_ROOT"]


@pytest.fixture
def client(client):
    return close_every_answer(client)


def test_public_feed_is_served_with_caching_headers(client, root):
    write_feed(root, "zwischenraum", "podcast.xml", RSS)
    resp = client.get("/feeds/zwischenraum/podcast.xml")
    assert resp.status_code == 200
    assert resp.data == RSS
    assert resp.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert resp.headers["Cache-Control"] == "max-age=300, public"
    assert resp.headers["ETag"].startswith('"')
    assert resp.headers["Last-Modified"].endswith("GMT")
    assert resp.headers["Content-Length"] == str(len(RSS))
    assert resp.headers["Vary"] == "Accept-Encoding"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    # Answered before Flask: no session cookie, no page security headers.
    assert "Set-Cookie" not in resp.headers
    assert "Content-Security-Policy" not in resp.headers


def test_blog_and_hub_feeds_have_their_types(client, root):
    write_feed(root, "zwischenraum", "blog.atom", b"<feed/>")
    write_feed(root, None, "podcast.xml", RSS)
    write_feed(root, None, "blog.atom", b"<feed>hub</feed>")
    blog = client.get("/feeds/zwischenraum/blog.atom")
    assert blog.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert blog.data == b"<feed/>"
    assert client.get("/feeds/podcast.xml").data == RSS
    assert client.get("/feeds/blog.atom").data == b"<feed>hub</feed>"


def test_head_has_headers_but_no_body(client, root):
    write_feed(root, "zwischenraum", "podcast.xml", RSS)
    resp = client.head("/feeds/zwischenraum/podcast.xml")
    assert resp.status_code == 200
    assert resp.data == b""
    assert resp.headers["Content-Length"] == str(len(RSS))
    assert resp.headers["ETag"]


def test_etag_and_if_modified_since_give_304(client, root):
    write_feed(root, "zwischenraum", "podcast.xml", RSS)
    first = client.get("/feeds/zwischenraum/podcast.xml")
    etag = first.headers["ETag"]
    again = client.get("/feeds/zwischenraum/podcast.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    weak = client.get(
        "/feeds/zwischenraum/podcast.xml", headers={"If-None-Match": f'"other", W/{etag}'}
    )
    assert weak.status_code == 304
    since = client.get(
        "/feeds/zwischenraum/podcast.xml",
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert since.status_code == 304
    stale = client.get("/feeds/zwischenraum/podcast.xml", headers={"If-None-Match": '"old"'})
    assert stale.status_code == 200


def test_gzip_variant_when_the_client_accepts_it(client, root):
    body = RSS * 50
    write_feed(root, "zwischenraum", "podcast.xml", body)
    resp = client.get("/feeds/zwischenraum/podcast.xml", headers={"Accept-Encoding": "gzip, br"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert resp.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert int(resp.headers["Content-Length"]) < len(body)
    assert gzip.decompress(resp.data) == body
    plain = client.get("/feeds/zwischenraum/podcast.xml")
    assert "Content-Encoding" not in plain.headers
    assert plain.data == body


def test_rewritten_feed_gets_a_new_etag_at_once(client, root):
    path = write_feed(root, "zwischenraum", "podcast.xml", RSS)
    etag = client.get("/feeds/zwischenraum/podcast.xml").headers["ETag"]
    # Same length, same second: an ETag of whole-second mtime and size would not change.
    changed = RSS.replace(b"Zwischenraum", b"Zwischenr\xc3\xa4m")
    assert len(changed) == len(RSS)
    st = path.stat()
    write_feed(root, "zwischenraum", "podcast.xml", changed)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    resp = client.get("/feeds/zwischenraum/podcast.xml", headers={"If-None-Match": etag})
    assert resp.status_code == 200
    assert resp.data == changed
    assert resp.headers["ETag"] != etag


def test_new_and_removed_feeds_are_seen_without_restart(client, root):
    assert client.get("/feeds/later/podcast.xml").status_code == 404
    path = write_feed(root, "later", "podcast.xml", RSS)
    assert client.get("/feeds/later/podcast.xml").status_code == 200
    path.unlink()
    path.with_name("podcast.xml.gz").unlink()
    gone = client.get("/feeds/later/podcast.xml", headers={"Accept-Encoding": "gzip"})
    assert gone.status_code == 404
    assert "text/html" in gone.headers["Content-Type"]  # Flask's 404 page


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/zwischenraum/.podcast.xml.tmp",
        "/feeds/zwischenraum/podcast.xml.gz",
        "/feeds/zwischenraum/../zwischenraum/podcast.xml",
        "/feeds/zwischenraum/notes.txt",
        "/feeds/zwischenraum/private/x/podcast.xml",
    ],
)
def test_only_feed_files_are_served(client, root, url):
    write_feed(root, "zwischenraum", "podcast.xml", RSS)
    public_path(root, "zwischenraum", ".podcast.xml.tmp").write_bytes(b"half")
    public_path(root, "zwischenraum", "notes.txt").write_bytes(b"secret")
    assert client.get(url).status_code == 404


def test_other_methods_are_refused(client, root):
    write_feed(root, "zwischenraum", "podcast.xml", RSS)
    assert client.post("/feeds/zwischenraum/podcast.xml").status_code == 405


def test_feed_urls_are_still_built_by_flask(app):
    from mediahub.core.urls import absolute_url

    assert absolute_url("feeds.podcast_feed", slug="a") == "http://hub.test/feeds/a/podcast.xml"
    assert absolute_url("feeds.hub_blog_feed") == "http://hub.test/feeds/blog.atom"


# Private feeds ------------------------------------------------------------------

PRIVATE_RSS = (
    b'<rss><channel><atom:link href="http://hub.test/feeds/kreis/private/__FEED_TOKEN__/'
    b'podcast.xml"/><enclosure url="http://hub.test/media/private/__FEED_TOKEN__/episodes/'
    b'g.mp3"/></channel></rss>'
)


@pytest.fixture
def private_group(make_user, make_group, root):
    manager = make_user("Mira")
    group = make_group("kreis", visibility="private", members={manager: "manager"})
    path = private_path(root, "kreis", "podcast.xml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PRIVATE_RSS)
    private_path(root, "kreis", "blog.atom").write_bytes(b"<feed>__FEED_TOKEN__</feed>")
    return group, manager


def _secret(group, manager, label="Annas Handy"):
    _row, url = tokens.create_token(group, manager, label=label)
    db.session.commit()
    return url.split("/private/")[1].split("/")[0], url


def test_private_feed_carries_the_listeners_token(client, private_group):
    secret, url = _secret(*private_group)
    resp = client.get(url.removeprefix("http://hub.test"))
    assert resp.status_code == 200
    assert b"__FEED_TOKEN__" not in resp.data
    assert resp.data.count(secret.encode()) == 2
    assert resp.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert resp.headers["Cache-Control"] == "private, max-age=300"
    assert resp.headers["X-Robots-Tag"].startswith("noindex")
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert secret not in resp.headers["ETag"]
    blog = client.get(f"/feeds/kreis/private/{secret}/blog.atom")
    assert blog.data == f"<feed>{secret}</feed>".encode()
    assert blog.headers["Content-Type"] == "application/atom+xml; charset=utf-8"


def test_private_feed_head_and_304(client, private_group):
    secret, _url = _secret(*private_group)
    url = f"/feeds/kreis/private/{secret}/podcast.xml"
    first = client.get(url)
    head = client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["Cache-Control"] == "private, max-age=300"
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_two_listeners_get_different_etags(client, private_group):
    group, manager = private_group
    one, _ = _secret(group, manager, "Anna")
    two, _ = _secret(group, manager, "Ben")
    a = client.get(f"/feeds/kreis/private/{one}/podcast.xml").headers["ETag"]
    b = client.get(f"/feeds/kreis/private/{two}/podcast.xml").headers["ETag"]
    assert a != b


def test_private_feed_notes_the_day_of_use(client, private_group):
    _s, url = _secret(*private_group)
    client.get(url.removeprefix("http://hub.test"))
    db.session.expire_all()
    row = db.session.query(FeedToken).one()
    assert row.last_used_on is not None


def test_unknown_revoked_and_foreign_tokens_get_404(client, private_group, make_group, root):
    group, manager = private_group
    secret, url = _secret(group, manager)
    other = make_group("andere", visibility="private", members={manager: "manager"})
    foreign, _ = _secret(other, manager)
    assert client.get("/feeds/kreis/private/not-a-token/podcast.xml").status_code == 404
    assert client.get(f"/feeds/kreis/private/{foreign}/podcast.xml").status_code == 404
    assert client.get(f"/feeds/andere/private/{secret}/podcast.xml").status_code == 404
    row = db.session.query(FeedToken).filter_by(group_id=group.id).one()
    tokens.revoke_token(row)
    db.session.commit()
    assert client.get(url.removeprefix("http://hub.test")).status_code == 404


def test_missing_private_file_is_404(client, private_group, root):
    _s, url = _secret(*private_group)
    private_path(root, "kreis", "podcast.xml").unlink()
    assert client.get(url.removeprefix("http://hub.test")).status_code == 404


def test_token_stops_working_when_the_group_is_no_longer_private(client, private_group):
    group, manager = private_group
    _s, url = _secret(group, manager)
    group.visibility = group.visibility.__class__("public")
    db.session.commit()
    assert client.get(url.removeprefix("http://hub.test")).status_code == 404


def test_guessing_private_addresses_is_rate_limited(app, client, private_group):
    _secret(*private_group)
    app.config["SECRET_GUESS_LIMIT"] = "3 per minute"
    for n in range(3):
        assert client.get(f"/feeds/kreis/private/guess{n}/podcast.xml").status_code == 404
    assert client.get("/feeds/kreis/private/guess9/podcast.xml").status_code == 429


def test_guesses_spread_over_secret_addresses_share_one_budget(app, client, private_group):
    _secret(*private_group)
    app.config["SECRET_GUESS_LIMIT"] = "3 per minute"
    guesses = [
        "/feeds/kreis/private/guess1/podcast.xml",
        "/feeds/kreis/private/guess2/blog.atom",
        f"/media/private/guess3/episodes/{uuid.uuid4()}.mp3",
    ]
    for url in guesses:
        assert client.get(url).status_code == 404
    assert client.get("/media/private/guess4/groups/kreis/cover-generated-x.jpg").status_code == 429
