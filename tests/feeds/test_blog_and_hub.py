"""Blog Atom feeds of a group and the hub's feeds."""

from __future__ import annotations

import io
from typing import Any

import feedparser
import lxml.html
import podcastparser

from mediahub.core.extensions import db
from mediahub.feeds.paths import public_path

from .conftest import CONTACT, one, parse, xp


def test_group_blog_is_atom_with_full_sanitised_html(
    make_group: Any, author: Any, make_post: Any, publish: Any, feeds_root: Any
) -> None:
    group = make_group("blog", name="Kleine Schritte", description="Eine Gruppe.")
    post = make_post(
        group,
        author,
        title="Was mir hilft",
        body="Ein **guter** Tag.\n\n<script>alert(1)</script>\n\n[Link](javascript:alert(1))",
    )
    post.content_note = "Selbstverletzung"
    db.session.commit()
    publish(post)
    make_post(group, author, title="Noch ein Entwurf")
    data = public_path(feeds_root, "blog", "blog.atom").read_bytes()
    feed = parse(data)
    assert one(feed, "/atom:feed/atom:title/text()") == "Kleine Schritte"
    assert one(feed, "/atom:feed/atom:subtitle/text()") == "Eine Gruppe."
    assert one(feed, "/atom:feed/atom:link[@rel='alternate']/@href") == (
        "http://hub.test/groups/blog/"
    )
    assert one(feed, "/atom:feed/atom:link[@rel='self']/@href") == (
        "http://hub.test/feeds/blog/blog.atom"
    )
    [entry] = xp(feed, "/atom:feed/atom:entry")
    assert one(entry, "atom:id/text()") == f"urn:uuid:{post.guid}"
    assert one(entry, "atom:title/text()") == "Was mir hilft"
    assert one(entry, "atom:link/@href") == f"http://hub.test/groups/blog/posts/{post.id}"
    assert one(entry, "atom:author/atom:name/text()") == "Kleine Schritte"  # not credited
    assert one(entry, "atom:content/@type") == "html"
    html = lxml.html.fragment_fromstring(one(entry, "atom:content/text()"), create_parent="div")
    assert html.findall(".//script") == []
    assert not any("javascript" in (a.get("href") or "") for a in html.iter("a"))
    assert html.find("p").text_content() == "Inhaltshinweis: Selbstverletzung"
    assert html.find(".//strong") is not None
    fp = feedparser.parse(data)
    assert not fp.bozo, fp.get("bozo_exception")
    assert fp.entries[0].title == "Was mir hilft"


def test_hub_feeds_collect_public_groups(
    make_group: Any,
    author: Any,
    make_episode: Any,
    make_post: Any,
    publish: Any,
    feeds_root: Any,
) -> None:
    first, second = make_group(name="Erste"), make_group(name="Zweite")
    one_ep = publish(make_episode(first, author, title="Aus der ersten"))
    publish(make_episode(second, author, title="Aus der zweiten"))
    publish(make_post(first, author, title="Beitrag"))
    data = public_path(feeds_root, None, "podcast.xml").read_bytes()
    channel = one(parse(data), "/rss/channel")
    assert one(channel, "title/text()") == "Selbsthilfe-Hub"
    assert one(channel, "link/text()") == "http://hub.test/"
    assert one(channel, "description/text()") == (
        "Die Podcasts der Selbsthilfegruppen bei Selbsthilfe-Hub."
    )
    assert one(channel, "itunes:owner/itunes:email/text()") == CONTACT
    assert one(channel, "itunes:explicit/text()") == "false"
    assert one(channel, "language/text()") == "de"
    assert sorted(xp(channel, "item/title/text()")) == ["Aus der ersten", "Aus der zweiten"]
    assert one(channel, f"item[guid='{one_ep.guid}']/enclosure/@length") == str(
        one_ep.audio.rendition_size
    )
    gpodder = podcastparser.parse("http://hub.test/feeds/podcast.xml", io.BytesIO(data))
    assert len(gpodder["episodes"]) == 2
    assert not feedparser.parse(data).bozo
    blog = public_path(feeds_root, None, "blog.atom").read_bytes()
    assert xp(parse(blog), "//atom:entry/atom:title/text()") == ["Beitrag"]
    assert not feedparser.parse(blog).bozo
