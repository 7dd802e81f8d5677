"""Rebuilding the feed files of a group and of the hub.

Called from the queue (``tasks``) and the CLI; they own the transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select

from mediahub.clips import services as clip_services
from mediahub.core.extensions import db
from mediahub.fediverse import services as fediverse_services
from mediahub.feeds import builder, queries
from mediahub.feeds.hub_info import HubInfo
from mediahub.feeds.links import UrlFor, make_url_for
from mediahub.feeds.paths import BLOG, PODCAST, PRIVATE, PUBLIC, store_name
from mediahub.feeds.podcast_ext import EpisodeExtras, SocialInteract, Soundbite
from mediahub.feeds.store import current_store
from mediahub.groups.models import Group, Visibility
from mediahub.media.artwork import hub_cover_url

log = logging.getLogger(__name__)


@dataclass
class RebuildReport:
    """Which files changed (written or removed), by their names in the feed
    store (``public/<slug>/podcast.xml``…); unchanged ones are not listed."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def merge(self, other: RebuildReport) -> None:
        self.written += other.written
        self.removed += other.removed


def hub_info(url_for: UrlFor | None = None) -> HubInfo:
    cfg = current_app.config
    return HubInfo(
        name=cfg["HUB_NAME"],
        contact_email=cfg["CONTACT_EMAIL"] or None,
        language=cfg["BABEL_DEFAULT_LOCALE"],
        cover_url=hub_cover_url(cfg["HUB_NAME"], url_for or make_url_for()),
        websub_hubs=tuple(cfg["WEBSUB_HUBS"]),
    )


def rebuild_group(group: Group, url_for: UrlFor | None = None) -> RebuildReport:
    """Write the group's podcast and blog feed where its visibility says, and
    remove them from where it no longer belongs.

    ``url_for``: one :func:`make_url_for` shared by a run over many feeds
    (its URL templates are made once); a new one by default.
    """
    url_for = url_for or make_url_for()
    store, report, hub = current_store(), RebuildReport(), hub_info(url_for)
    private = group.visibility == Visibility.PRIVATE
    kind, other = (PRIVATE, PUBLIC) if private else (PUBLIC, PRIVATE)
    files = {
        PODCAST: _podcast_feed(group, url_for, hub),
        BLOG: builder.build_blog_feed(group, queries.feed_posts(group), url_for=url_for, hub=hub),
    }
    for name, data in files.items():
        path = store_name(kind, group.slug, name)
        if store.write(path, data, gz=not private):
            report.written.append(path)
    for name in files:
        path = store_name(other, group.slug, name)
        if store.remove(path):
            report.removed.append(path)
    store.remove_group(other, group.slug)
    return report


def _podcast_feed(group: Any, url_for: UrlFor, hub: Any) -> bytes:
    episodes = queries.feed_episodes(group)
    bites = clip_services.clips_of(group)
    threads = fediverse_services.comment_threads(group, episodes)
    extras = EpisodeExtras(
        soundbites={
            episode_id: [Soundbite(c.start_s, c.duration_s, c.title) for c in clips]
            for episode_id, clips in bites.items()
        },
        social={
            episode_id: SocialInteract("activitypub", uri, account, actor_url)
            for episode_id, (uri, account, actor_url) in threads.items()
        },
        social_default=SocialInteract("disabled"),
    )
    return builder.build_podcast_feed(group, episodes, url_for=url_for, hub=hub, extras=extras)


def rebuild_hub(url_for: UrlFor | None = None) -> RebuildReport:
    """Write the hub's podcast and blog feeds (public groups only)."""
    url_for = url_for or make_url_for()
    store, report, hub = current_store(), RebuildReport(), hub_info(url_for)
    files = {
        PODCAST: builder.build_hub_podcast_feed(
            queries.feed_episodes(None, queries.HUB_FEED_SIZE), url_for=url_for, hub=hub
        ),
        BLOG: builder.build_hub_blog_feed(
            queries.feed_posts(None, queries.HUB_FEED_SIZE), url_for=url_for, hub=hub
        ),
    }
    for name, data in files.items():
        path = store_name(PUBLIC, None, name)
        if store.write(path, data, gz=True):
            report.written.append(path)
    return report


def prune() -> RebuildReport:
    """Remove the files of groups that are gone, renamed (new slug) or moved
    between public and private."""
    store, report = current_store(), RebuildReport()
    wanted: dict[str, set[str]] = {PUBLIC: set(), PRIVATE: set()}
    for slug, visibility in db.session.execute(select(Group.slug, Group.visibility)):
        wanted[PRIVATE if visibility == Visibility.PRIVATE else PUBLIC].add(slug)
    for kind, slugs in store.group_slugs().items():
        for slug in slugs - wanted[kind]:
            for name in (PODCAST, BLOG):
                if store.remove(store_name(kind, slug, name)):
                    report.removed.append(store_name(kind, slug, name))
            store.remove_group(kind, slug)
    return report


def rebuild_for(group_id: int | None) -> RebuildReport:
    """The queue's unit of work: one group's feeds (if it still exists), stale
    files, and the hub's feeds."""
    report, url_for = RebuildReport(), make_url_for()
    group = db.session.get(Group, group_id) if group_id is not None else None
    if group is not None:
        report.merge(rebuild_group(group, url_for))
    report.merge(prune())
    report.merge(rebuild_hub(url_for))
    return report


def rebuild_all(slug: str | None = None) -> RebuildReport:
    """Every group's feeds (or one group's), stale files, and the hub's feeds.

    Raises:
        LookupError: there is no group ``slug``.
    """
    stmt = select(Group).order_by(Group.slug)
    if slug is not None:
        stmt = stmt.where(Group.slug == slug)
    groups = list(db.session.scalars(stmt))
    if slug is not None and not groups:
        raise LookupError(slug)
    report, url_for = RebuildReport(), make_url_for()
    for group in groups:
        report.merge(rebuild_group(group, url_for))
    report.merge(prune())
    report.merge(rebuild_hub(url_for))
    return report


#: Bump when the builder's output changes, so that a deploy rewrites every
#: feed once instead of waiting for each group's next change.
FEED_FORMAT = 3
_SETTINGS_FILE = "settings.sha256"


def settings_fingerprint() -> str:
    """A hash of everything outside the database that every feed shows: the
    hub's address, name, contact, language, WebSub hubs, the feed format."""
    cfg = current_app.config
    settings = [
        FEED_FORMAT,
        cfg["BASE_URL"],
        cfg["HUB_NAME"],
        cfg["CONTACT_EMAIL"],
        cfg["BABEL_DEFAULT_LOCALE"],
        list(cfg["WEBSUB_HUBS"]),
    ]
    return hashlib.sha256(json.dumps(settings).encode()).hexdigest()


def rebuild_if_settings_changed() -> RebuildReport | None:
    """Rebuild every feed when the settings they show changed since the last
    time (a new BASE_URL or hub name, a deploy with a new feed format), and
    remember them; otherwise do nothing and return None."""
    store, wanted = current_store(), settings_fingerprint()
    marker = store.read(_SETTINGS_FILE)
    if marker is not None and marker.data.decode(errors="replace").strip() == wanted:
        return None
    report = rebuild_all()
    store.write(_SETTINGS_FILE, wanted.encode(), gz=False)
    log.info(
        "feed settings changed: %d feed files written, %d removed",
        len(report.written),
        len(report.removed),
    )
    return report
