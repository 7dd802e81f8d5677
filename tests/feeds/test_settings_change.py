"""Settings every feed shows (the hub's address, name, contact) change with a
restart: the worker then rewrites every feed once, not each group's only at
its next change."""

from __future__ import annotations

from typing import Any

import feedparser

from mediahub.feeds import services, tasks
from mediahub.feeds.paths import public_path


def test_a_new_address_reaches_every_feed_once(
    app: Any, make_group: Any, author: Any, make_episode: Any, publish: Any, feeds_root: Any
) -> None:
    for slug in ("trauer", "sucht"):
        publish(make_episode(make_group(slug), author))
    assert services.rebuild_if_settings_changed() is not None  # first start: recorded
    assert services.rebuild_if_settings_changed() is None  # nothing changed since
    path = public_path(feeds_root, "sucht", "podcast.xml")
    before = path.stat().st_mtime_ns

    app.config["BASE_URL"] = "https://selbsthilfe.example"
    tasks.rebuild_feeds_if_settings_changed()  # what the worker queues at start

    feed = feedparser.parse(path.read_bytes())
    assert feed.feed.link == "https://selbsthilfe.example/groups/sucht/"
    assert feed.entries[0].enclosures[0].href.startswith("https://selbsthilfe.example/media/")
    assert path.stat().st_mtime_ns != before
    hub = feedparser.parse(public_path(feeds_root, None, "podcast.xml").read_bytes())
    assert all(e.link.startswith("https://selbsthilfe.example/") for e in hub.entries)
    assert services.rebuild_if_settings_changed() is None


def test_a_new_hub_name_is_a_change_too(app: Any, feeds_root: Any) -> None:
    services.rebuild_if_settings_changed()
    app.config["HUB_NAME"] = "Selbsthilfe Nord"
    assert services.rebuild_if_settings_changed() is not None
    hub = feedparser.parse(public_path(feeds_root, None, "podcast.xml").read_bytes())
    assert hub.feed.title == "Selbsthilfe Nord"
