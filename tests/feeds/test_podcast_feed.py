"""A group's podcast feed, as Apple, the Podcast Index and podcast apps read it."""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import uuid
from typing import Any

import feedparser
import lxml.html
import podcastparser
import pytest

from mediahub.core.extensions import db
from mediahub.feeds.paths import public_path
from mediahub.media.artwork import cover_version

from .conftest import CONTACT, one, parse, xp

FEED_URL = "http://hub.test/feeds/trauer/podcast.xml"


def _independent_podcast_guid(url: str) -> str:
    # Podcasting 2.0: uuidv5(namespace, url without scheme and trailing slash).
    namespace = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    return str(uuid.uuid5(namespace, url.removeprefix("http://").rstrip("/")))


@pytest.fixture
def group(make_group: Any) -> Any:
    return make_group(
        "trauer",
        name="Trauercafé Hamburg",
        category="grief",
        description="Wir treffen uns jeden zweiten Dienstag.",
        funding_url="https://spenden.example.org/trauer",
    )


@pytest.fixture
def episode(group: Any, author: Any, make_episode: Any, publish: Any) -> Any:
    author.is_credited = True
    ep = make_episode(
        group,
        author,
        title="Folge 1: Wie wir uns fanden",
        description="Drei **Mitglieder** erzählen.",
        season=1,
        number=1,
        episode_type="full",
    )
    ep.content_note = "Suizid, Sucht"
    ep.chapters = [{"start_s": 0.0, "title": "Begrüßung"}, {"start_s": 330.0, "title": "Fragen"}]
    ep.transcript_vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n"
    db.session.commit()
    return publish(ep)


def _feed(feeds_root: Any, slug: str = "trauer") -> bytes:
    return public_path(feeds_root, slug, "podcast.xml").read_bytes()


def test_channel_has_what_apple_and_the_podcast_index_require(
    episode: Any, group: Any, feeds_root: Any
) -> None:
    tree = parse(_feed(feeds_root))
    channel = one(tree, "/rss/channel")
    assert one(channel, "title/text()") == "Trauercafé Hamburg"
    # Sanitised HTML, as apps render it (Apple allows paragraphs and links).
    assert one(channel, "description/text()") == "<p>Wir treffen uns jeden zweiten Dienstag.</p>\n"
    assert one(channel, "link/text()") == "http://hub.test/groups/trauer/"
    assert one(channel, "language/text()") == "de"
    assert one(channel, "atom:link[@rel='self']/@href") == FEED_URL
    cover = one(channel, "itunes:image/@href")
    # No cover uploaded: the generated one, named by what it shows.
    assert (
        cover == f"http://hub.test/media/groups/trauer/cover-generated-{cover_version(group)}.jpg"
    )
    assert one(channel, "itunes:category/@text") == "Health & Fitness"
    assert one(channel, "itunes:category/itunes:category/@text") == "Mental Health"
    assert one(channel, "itunes:explicit/text()") == "false"
    assert one(channel, "itunes:author/text()") == "Trauercafé Hamburg"
    assert one(channel, "itunes:owner/itunes:name/text()") == "Selbsthilfe-Hub"
    assert one(channel, "itunes:owner/itunes:email/text()") == CONTACT
    assert one(channel, "itunes:type/text()") == "episodic"
    assert xp(channel, "itunes:block") == [] and xp(channel, "podcast:block") == []
    assert one(channel, "podcast:guid/text()") == _independent_podcast_guid(FEED_URL)
    assert one(channel, "podcast:locked/text()") == "yes"
    assert one(channel, "podcast:locked/@owner") == CONTACT
    assert one(channel, "podcast:medium/text()") == "podcast"
    assert one(channel, "podcast:funding/@url") == "https://spenden.example.org/trauer"
    assert one(channel, "podcast:funding/text()") == "Diese Gruppe unterstützen"
    assert one(channel, "podcast:person[@role='host']/text()") == "Sonnenblume"


def test_item_has_enclosure_guid_dates_and_itunes_fields(episode: Any, feeds_root: Any) -> None:
    item = one(parse(_feed(feeds_root)), "/rss/channel/item")
    audio = episode.audio
    assert one(item, "title/text()") == "Folge 1: Wie wir uns fanden"
    assert one(item, "enclosure/@url") == f"http://hub.test/media/episodes/{episode.guid}.mp3"
    assert int(one(item, "enclosure/@length")) == audio.rendition_size
    assert one(item, "enclosure/@type") == "audio/mpeg"
    assert one(item, "guid/text()") == episode.guid
    assert one(item, "guid/@isPermaLink") == "false"
    published = email.utils.parsedate_to_datetime(one(item, "pubDate/text()"))
    assert published == episode.published_at.replace(microsecond=0)
    assert one(item, "itunes:duration/text()") == "12"  # 12.5 s, whole seconds
    assert one(item, "itunes:episodeType/text()") == "full"
    assert one(item, "itunes:season/text()") == "1"
    assert one(item, "itunes:episode/text()") == "1"
    assert one(item, "itunes:explicit/text()") == "false"
    assert one(item, "itunes:image/@href").startswith("http://hub.test/media/groups/trauer/cover-")
    assert one(item, "link/text()") == f"http://hub.test/groups/trauer/episodes/{episode.id}"
    base = f"http://hub.test/media/episodes/{episode.guid}"
    assert one(item, "podcast:transcript[@type='text/vtt']/@url") == f"{base}.vtt"
    assert one(item, "podcast:transcript[@type='text/vtt']/@rel") == "captions"
    assert one(item, "podcast:chapters/@url") == f"{base}.chapters.json"
    assert one(item, "podcast:chapters/@type") == "application/json+chapters"
    assert one(item, "podcast:person[@role='host']/text()") == "Sonnenblume"


def test_show_notes_start_with_the_content_note_and_end_with_chapters(
    episode: Any, feeds_root: Any
) -> None:
    item = one(parse(_feed(feeds_root)), "/rss/channel/item")
    html = lxml.html.fragment_fromstring(one(item, "content:encoded/text()"), create_parent="div")
    paragraphs = [p.text_content() for p in html.findall("p")]
    assert paragraphs[0] == "Inhaltshinweis: Suizid, Sucht"
    assert paragraphs[1] == "Drei Mitglieder erzählen."
    assert html.find("p/strong") is not None
    assert paragraphs[-1].splitlines() == ["00:00 Begrüßung", "05:30 Fragen"]
    # <description> carries the same sanitised HTML: apps render it as HTML.
    assert one(item, "description/text()") == one(item, "content:encoded/text()")


def test_episode_image_is_preferred_over_the_group_cover(
    episode: Any, feeds_root: Any, app: Any
) -> None:
    from mediahub.media.artwork import render_cover
    from mediahub.media.images import store_cover
    from mediahub.review.editing import apply_changes

    image = store_cover(io.BytesIO(render_cover("Bild", "bild")), uploader=None)
    episode.image = image
    apply_changes(episode, {"title": "Folge 1 (mit Bild)"}, None)
    db.session.commit()
    item = one(parse(_feed(feeds_root)), "/rss/channel/item")
    expected = f"http://hub.test/media/episodes/{episode.guid}/image-{image.id}.jpg"
    assert one(item, "itunes:image/@href") == expected


def test_podcast_apps_read_the_feed(episode: Any, feeds_root: Any) -> None:
    data = _feed(feeds_root)
    gpodder = podcastparser.parse(FEED_URL, io.BytesIO(data))
    assert gpodder["title"] == "Trauercafé Hamburg"
    [ep] = gpodder["episodes"]
    assert ep["guid"] == episode.guid
    assert ep["total_time"] == 12
    assert ep["enclosures"][0]["file_size"] == episode.audio.rendition_size
    assert ep["enclosures"][0]["mime_type"] == "audio/mpeg"
    assert "Inhaltshinweis" in ep["description_html"]
    fp = feedparser.parse(data)
    assert not fp.bozo, fp.get("bozo_exception")
    assert fp.feed.title == "Trauercafé Hamburg"
    assert fp.entries[0].id == episode.guid
    assert fp.entries[0].itunes_duration == "12"


def test_only_published_episodes_with_ready_audio_appear(
    group: Any, author: Any, editor: Any, make_episode: Any, publish: Any, feeds_root: Any
) -> None:
    from mediahub.review import services as review

    shown = publish(make_episode(group, author, title="Online"))
    make_episode(group, author, title="Entwurf")
    in_review = make_episode(group, author, title="In Prüfung")
    review.submit(in_review, author)
    rejected = make_episode(group, author, title="Abgelehnt")
    review.submit(rejected, author)
    review.reject(rejected, editor)
    scheduled = make_episode(group, author, title="Geplant")
    review.submit(scheduled, author)
    review.approve(scheduled, editor, publish_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
    db.session.commit()
    items = xp(parse(_feed(feeds_root)), "/rss/channel/item/title/text()")
    assert items == [shown.title]


def test_newest_first_and_the_whole_back_catalogue(
    group: Any, author: Any, make_episode: Any, publish: Any, feeds_root: Any
) -> None:
    episodes = [publish(make_episode(group, author, title=f"Folge {n}")) for n in range(1, 4)]
    base = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for n, ep in enumerate(episodes):
        ep.published_at = base + dt.timedelta(days=n)
    db.session.commit()
    from mediahub.feeds.services import rebuild_all

    rebuild_all()
    titles = xp(parse(_feed(feeds_root)), "/rss/channel/item/title/text()")
    assert titles == ["Folge 3", "Folge 2", "Folge 1"]


def test_guid_stays_and_edits_reach_the_file(episode: Any, feeds_root: Any) -> None:
    from mediahub.episodes.services import update_episode

    guid = episode.guid
    update_episode(episode, episode.author, {"title": "Folge 1: Neuer Titel"})
    db.session.commit()
    item = one(parse(_feed(feeds_root)), "/rss/channel/item")
    assert one(item, "title/text()") == "Folge 1: Neuer Titel"
    assert one(item, "guid/text()") == guid


def test_group_rename_reaches_the_file(episode: Any, group: Any, feeds_root: Any) -> None:
    from mediahub.groups.services import update_group

    update_group(group, {"name": "Trauercafé Altona", "is_explicit": True})
    db.session.commit()
    channel = one(parse(_feed(feeds_root)), "/rss/channel")
    assert one(channel, "title/text()") == "Trauercafé Altona"
    assert one(channel, "itunes:explicit/text()") == "true"
    assert one(channel, "item/itunes:explicit/text()") == "true"


def test_unpublishing_removes_the_item(episode: Any, editor: Any, feeds_root: Any) -> None:
    from mediahub.review import services as review

    assert len(xp(parse(_feed(feeds_root)), "//item")) == 1
    review.unpublish(episode, editor)
    db.session.commit()
    assert xp(parse(_feed(feeds_root)), "//item") == []


def test_uncredited_authors_stay_anonymous(
    group: Any, make_user: Any, make_episode: Any, publish: Any, feeds_root: Any
) -> None:
    shy = make_user("Anonyme Person")
    publish(make_episode(group, shy, title="Ohne Namen"))
    data = _feed(feeds_root)
    assert b"Anonyme Person" not in data
    assert xp(parse(data), "//podcast:person") == []


def test_no_per_item_queries(
    make_group: Any, author: Any, make_episode: Any, publish: Any, app: Any
) -> None:
    from sqlalchemy import event

    from mediahub.feeds import builder, queries
    from mediahub.feeds.links import make_url_for
    from mediahub.feeds.services import hub_info
    from mediahub.groups.models import Group

    small, large = make_group(), make_group()
    publish(make_episode(small, author))
    for _ in range(5):
        publish(make_episode(large, author))
    ids = small.id, large.id

    def queries_for(group_id: int) -> int:
        db.session.expunge_all()  # nothing cached: every load is a query
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        group = db.session.get(Group, group_id)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            episodes = queries.feed_episodes(group)
            builder.build_podcast_feed(group, episodes, url_for=make_url_for(), hub=hub_info())
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    assert queries_for(ids[0]) == queries_for(ids[1]) <= 2
