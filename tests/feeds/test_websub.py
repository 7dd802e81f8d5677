"""WebSub: hubs hear about changed public feeds, over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from mediahub.core.extensions import db
from mediahub.feeds import websub
from mediahub.feeds.services import rebuild_all
from mediahub.review import services as review


class Hub:
    """A local hub that records the publish notifications it gets."""

    def __init__(self, status: int = 202) -> None:
        self.received: list[dict[str, list[str]]] = []
        self.content_types: list[str] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                hub.content_types.append(self.headers.get("Content-Type", ""))
                hub.received.append(parse_qs(self.rfile.read(length).decode()))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def feeds(self) -> list[str]:
        return sorted(r["hub.url"][0] for r in self.received)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def hub() -> Iterator[Hub]:
    h = Hub()
    yield h
    h.close()


@pytest.fixture
def publish(app, make_user, make_episode, make_post, make_group):
    editor = make_user("Editor", hub_role="editor")

    def go(visibility: str, kind: str = "episode", hubs: list[str] | None = None):
        author = make_user()
        group = make_group(visibility=visibility, members={author: "member"})
        item = (make_episode if kind == "episode" else make_post)(group, author)
        if hubs is not None:
            app.config["WEBSUB_HUBS"] = hubs
        rebuild_all()  # every feed exists (naming its hubs); the decision changes some
        review.submit(item, author)
        review.approve(item, editor)
        db.session.commit()
        return group, item, editor

    return go


def test_published_episode_of_a_public_group_is_announced(app, hub, publish):
    group, _episode, _editor = publish("public", hubs=[hub.url])
    assert hub.feeds() == sorted(
        ["http://hub.test/feeds/podcast.xml", f"http://hub.test/feeds/{group.slug}/podcast.xml"]
    )
    assert all(r["hub.mode"] == ["publish"] for r in hub.received)
    assert set(hub.content_types) == {"application/x-www-form-urlencoded"}


def test_unpublished_post_of_an_unlisted_group_skips_the_hub_feeds(app, hub, publish):
    group, post, editor = publish("unlisted", "post", hubs=[hub.url])
    hub.received.clear()
    review.unpublish(post, editor)
    db.session.commit()
    assert hub.feeds() == [f"http://hub.test/feeds/{group.slug}/blog.atom"]


def test_private_groups_are_never_announced(app, hub, publish):
    publish("private", hubs=[hub.url])
    assert hub.received == []


def test_group_change_announces_its_changed_feeds_to_every_hub(app, hub, make_group):
    from mediahub.groups.services import update_group

    second = Hub()
    try:
        app.config["WEBSUB_HUBS"] = [hub.url, second.url]
        group = make_group("offen")
        rebuild_all()
        hub.received.clear()
        second.received.clear()
        update_group(group, {"name": "Offener Kreis"})
        db.session.commit()
        # The hub-wide feeds show no item of this group: unchanged, not announced.
        expected = [
            "http://hub.test/feeds/offen/blog.atom",
            "http://hub.test/feeds/offen/podcast.xml",
        ]
        assert hub.feeds() == expected
        assert second.feeds() == expected
    finally:
        second.close()


def test_nothing_is_sent_after_a_rollback(app, hub, make_group):
    from mediahub.groups.services import update_group

    group = make_group("offen")
    app.config["WEBSUB_HUBS"] = [hub.url]
    update_group(group, {"name": "Anders"})
    db.session.rollback()
    db.session.commit()
    assert hub.received == []


def test_off_by_default(app, publish, monkeypatch):
    calls = []
    monkeypatch.setattr(websub.urllib.request, "urlopen", lambda *a, **k: calls.append(a))
    assert app.config["WEBSUB_HUBS"] == []
    publish("public")
    assert calls == []


def test_a_refusing_hub_raises_so_the_task_retries():
    failing = Hub(status=500)
    try:
        with pytest.raises(websub.WebSubError, match="500"):
            websub.publish(failing.url, "http://hub.test/feeds/podcast.xml")
    finally:
        failing.close()


def test_an_unreachable_hub_raises():
    with pytest.raises(websub.WebSubError, match="unreachable"):
        websub.publish("http://127.0.0.1:9/", "http://hub.test/feeds/podcast.xml")


def test_hubs_must_be_http_urls(app_config):
    from mediahub import create_app
    from mediahub.core.config import ConfigError

    with pytest.raises(ConfigError, match="WEBSUB_HUBS"):
        create_app({**app_config, "WEBSUB_HUBS": ["ftp://hub.example"]})


def test_public_feeds_link_the_hubs_and_private_ones_do_not(app, hub, make_group, feeds_root):
    from lxml import etree

    from mediahub.feeds.paths import private_path, public_path

    app.config["WEBSUB_HUBS"] = [hub.url]
    make_group("offen")
    make_group("intern", visibility="private")
    db.session.commit()
    atom = "{http://www.w3.org/2005/Atom}link"
    for path in (
        public_path(feeds_root, "offen", "podcast.xml"),
        public_path(feeds_root, "offen", "blog.atom"),
    ):
        links = etree.fromstring(path.read_bytes()).iter(atom)
        assert [link.get("href") for link in links if link.get("rel") == "hub"] == [hub.url]
    for name in ("podcast.xml", "blog.atom"):
        data = private_path(feeds_root, "intern", name).read_bytes()
        assert b'rel="hub"' not in data
