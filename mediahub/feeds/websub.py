"""WebSub: tell hubs when a public feed changed, so apps learn of it in seconds.

Off unless ``WEBSUB_HUBS`` lists hubs. Private groups are never announced;
unlisted groups' own feeds are (their address is not secret, only not
listed), but never the hub-wide feeds, which show public groups only.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app

from .. import signals
from ..extensions import db
from ..groups.models import Group, Visibility
from ..queue import app_task, enqueue_after_commit
from ..urls import absolute_url

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
_FEEDS = {"episode": ("podcast_feed", "hub_podcast_feed"), "post": ("blog_feed", "hub_blog_feed")}


class WebSubError(RuntimeError):
    """A hub did not accept a publish notification (the task retries)."""


def websub_hubs(app: Flask) -> list[str]:
    """The configured hubs; every public feed links them as ``rel="hub"``."""
    return list(app.config["WEBSUB_HUBS"])


def publish(hub: str, feed_url: str) -> None:
    """POST ``hub.mode=publish`` for one feed to one hub.

    Raises:
        WebSubError: the hub could not be reached or did not answer 2xx.
    """
    body = urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode()
    # The hub URLs come from the configuration, checked to be http(s) at start-up.
    req = urllib.request.Request(  # noqa: S310
        hub,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "MediaHub WebSub publisher",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as resp:  # noqa: S310
            status = resp.status
    except urllib.error.HTTPError as err:
        raise WebSubError(f"{hub} answered {err.code} for {feed_url}") from None
    except (urllib.error.URLError, OSError) as err:
        raise WebSubError(f"{hub} unreachable for {feed_url}: {err}") from None
    if not 200 <= status < 300:
        raise WebSubError(f"{hub} answered {status} for {feed_url}")


@app_task(retries=5, retry_delay=60, retry_backoff=2)
def notify_hub(hub: str, feed_url: str) -> None:
    """Tell one hub about one changed feed; retried with growing delays."""
    publish(hub, feed_url)


def feed_urls(group: Group, kinds: tuple[str, ...]) -> list[str]:
    """The public feed addresses of ``group`` that show items of ``kinds``."""
    if group.visibility == Visibility.PRIVATE:
        return []
    urls = []
    for kind in kinds:
        group_feed, hub_feed = _FEEDS[kind]
        urls.append(absolute_url(f"feeds.{group_feed}", slug=group.slug))
        if group.visibility == Visibility.PUBLIC:
            urls.append(absolute_url(f"feeds.{hub_feed}"))
    return urls


def announce(group: Group, kinds: tuple[str, ...] = ("episode", "post")) -> None:
    """Notify every hub about the group's changed feeds once this transaction commits."""
    hubs = websub_hubs(current_app)
    if not hubs:
        return
    for url in feed_urls(group, kinds):
        for hub in hubs:
            enqueue_after_commit(db.session, notify_hub, hub, url)


def _item_published_or_unpublished(item: Any, **_: Any) -> None:
    announce(item.group, (item.item_type,))


def _item_changed(item: Any, **_: Any) -> None:
    if item.is_public:  # drafts are in no feed
        announce(item.group, (item.item_type,))


def _group_changed(group: Group, **_: Any) -> None:
    announce(group)


def init_app(app: Flask) -> None:
    # Signals are process-wide; connecting twice (several apps) is a no-op.
    signals.item_published.connect(_item_published_or_unpublished)
    signals.item_unpublished.connect(_item_published_or_unpublished)
    signals.item_changed.connect(_item_changed)
    signals.group_changed.connect(_group_changed)
