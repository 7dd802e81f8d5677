"""Private and unlisted groups: blocked from directories, files where they belong."""

from __future__ import annotations

import io
from typing import Any

import feedparser
import podcastparser

from mediahub.core.extensions import db
from mediahub.feeds.paths import TOKEN_PLACEHOLDER, private_path, public_path
from mediahub.groups.services import update_group

from .conftest import one, parse, xp


def _publish_both(group: Any, author: Any, make_episode: Any, make_post: Any, publish: Any):
    episode = make_episode(group, author, title="Unter uns")
    episode.transcript_vtt = "WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n"
    episode.chapters = [{"start_s": 0.0, "title": "Anfang"}]
    db.session.commit()
    return publish(episode), publish(make_post(group, author, title="Nur für uns"))


def test_private_feeds_carry_the_token_placeholder_everywhere(
    make_group: Any, author: Any, make_episode: Any, make_post: Any, publish: Any, feeds_root: Any
) -> None:
    group = make_group("geschuetzt", visibility="private")
    episode, _post = _publish_both(group, author, make_episode, make_post, publish)
    assert not public_path(feeds_root, "geschuetzt", "podcast.xml").exists()
    data = private_path(feeds_root, "geschuetzt", "podcast.xml").read_bytes()
    assert not private_path(feeds_root, "geschuetzt", "podcast.xml.gz").exists()
    channel = one(parse(data), "/rss/channel")
    assert one(channel, "atom:link[@rel='self']/@href") == (
        f"http://hub.test/feeds/geschuetzt/private/{TOKEN_PLACEHOLDER}/podcast.xml"
    )
    base = f"http://hub.test/media/private/{TOKEN_PLACEHOLDER}/episodes/{episode.guid}"
    item = one(channel, "item")
    assert one(item, "enclosure/@url") == f"{base}.mp3"
    assert one(item, "podcast:transcript[@type='text/vtt']/@url") == f"{base}.vtt"
    assert one(item, "podcast:chapters/@url") == f"{base}.chapters.json"
    assert one(channel, "itunes:block/text()") == "Yes"
    assert one(channel, "podcast:block/text()") == "yes"
    assert podcastparser.parse("http://x/feed.xml", io.BytesIO(data))["episodes"]
    assert not feedparser.parse(data).bozo

    atom = parse(private_path(feeds_root, "geschuetzt", "blog.atom").read_bytes())
    assert one(atom, "atom:link[@rel='self']/@href") == (
        f"http://hub.test/feeds/geschuetzt/private/{TOKEN_PLACEHOLDER}/blog.atom"
    )
    assert xp(atom, "atom:entry/atom:title/text()") == ["Nur für uns"]


def test_private_groups_never_reach_the_hub_feeds(
    make_group: Any, author: Any, make_episode: Any, make_post: Any, publish: Any, feeds_root: Any
) -> None:
    for visibility in ("private", "unlisted"):
        group = make_group(visibility=visibility)
        _publish_both(group, author, make_episode, make_post, publish)
    hub = public_path(feeds_root, None, "podcast.xml").read_bytes()
    assert b"Unter uns" not in hub
    assert b"Nur f" not in public_path(feeds_root, None, "blog.atom").read_bytes()


def test_unlisted_groups_are_public_files_but_blocked(
    make_group: Any, author: Any, make_episode: Any, make_post: Any, publish: Any, feeds_root: Any
) -> None:
    group = make_group("versteckt", visibility="unlisted")
    _publish_both(group, author, make_episode, make_post, publish)
    channel = one(
        parse(public_path(feeds_root, "versteckt", "podcast.xml").read_bytes()), "//channel"
    )
    assert one(channel, "itunes:block/text()") == "Yes"
    assert one(channel, "podcast:block/text()") == "yes"
    assert TOKEN_PLACEHOLDER not in parse_text(channel)


def parse_text(element: Any) -> str:
    from lxml import etree

    return etree.tostring(element, encoding="unicode")


def test_going_private_and_back_moves_the_files(
    make_group: Any, author: Any, make_episode: Any, make_post: Any, publish: Any, feeds_root: Any
) -> None:
    group = make_group("wechsel")
    _publish_both(group, author, make_episode, make_post, publish)
    public = [public_path(feeds_root, "wechsel", n) for n in ("podcast.xml", "blog.atom")]
    assert all(p.exists() and p.with_name(p.name + ".gz").exists() for p in public)
    assert b"Unter uns" in public_path(feeds_root, None, "podcast.xml").read_bytes()

    update_group(group, {"visibility": "private"})
    db.session.commit()
    assert not any(p.exists() or p.with_name(p.name + ".gz").exists() for p in public)
    assert not (feeds_root / "public" / "wechsel").exists()
    assert private_path(feeds_root, "wechsel", "podcast.xml").exists()
    assert b"Unter uns" not in public_path(feeds_root, None, "podcast.xml").read_bytes()

    update_group(group, {"visibility": "unlisted"})
    db.session.commit()
    assert not (feeds_root / "private" / "wechsel").exists()
    assert all(p.exists() for p in public)


def test_a_new_short_name_moves_the_files(
    make_group: Any, author: Any, make_episode: Any, publish: Any, feeds_root: Any
) -> None:
    group = make_group("alt")
    publish(make_episode(group, author))
    update_group(group, {"slug": "neu"})
    db.session.commit()
    assert not (feeds_root / "public" / "alt").exists()
    assert public_path(feeds_root, "neu", "podcast.xml").exists()


def test_a_deleted_group_loses_its_files(
    make_group: Any, author: Any, make_episode: Any, publish: Any, feeds_root: Any
) -> None:
    from mediahub.feeds.subscribers import request_rebuild

    group = make_group("weg")
    publish(make_episode(group, author))
    assert public_path(feeds_root, "weg", "podcast.xml").exists()
    db.session.delete(group)
    request_rebuild(None)
    db.session.commit()
    assert not (feeds_root / "public" / "weg").exists()
