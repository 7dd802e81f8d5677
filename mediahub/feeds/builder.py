"""Building podcast RSS and blog Atom feeds: pure functions.

They take objects with the models' attribute names, already loaded (ORM
objects, or the plain rows of ``queries.feed_episodes``), and a
``url_for(endpoint, **values)`` callable, and return the document's bytes;
no request, no database, no clock. Equal input gives equal bytes: the
feeds' own dates come from the content, never from "now", so an unchanged
feed is not rewritten and pollers keep their ETag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from feedgen.feed import FeedGenerator
from flask_babel import force_locale, gettext

from mediahub.accounts.credit import public_name
from mediahub.core import outbound
from mediahub.feeds import shownotes
from mediahub.feeds.hub_info import HubInfo
from mediahub.feeds.links import UrlFor
from mediahub.feeds.paths import TOKEN_PLACEHOLDER
from mediahub.feeds.podcast_ext import (
    EpisodeExtras,
    Person,
    PodcastIndexEntryExtension,
    PodcastIndexExtension,
    podcast_guid,
)
from mediahub.groups.categories import CATEGORIES
from mediahub.groups.listing import is_listed
from mediahub.groups.models import Visibility
from mediahub.media.artwork import cover_url

GENERATOR = "MediaHub"
NO_EXTRAS = EpisodeExtras()
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: Group covers' URLs already built for one feed, by ``id()`` of the group object.
Covers = dict[int, str]


def _title(text: str | None) -> str:
    # A title of nothing but stripped characters would make feedgen refuse
    # the whole feed (Atom entries need a title).
    return outbound.line(text) or "-"


def is_private(group: Any) -> bool:
    return bool(group.visibility == Visibility.PRIVATE)


def _babel(language: str) -> str:
    return (language or "de").replace("-", "_")


def _latest(*dates: dt.datetime | None) -> dt.datetime:
    return max((d for d in dates if d is not None), default=_EPOCH)


def _site(url_for: UrlFor) -> str:
    """The hub's own address (with a trailing slash): relative addresses in
    what members wrote are made absolute under it."""
    return url_for("site.home")


def _group_urls(group: Any, url_for: UrlFor, kind: str) -> tuple[str, str]:
    """(self URL, public URL) of a group's ``podcast`` or ``blog`` feed.

    The public URL names the podcast for ``podcast:guid`` and Atom ids: it
    never changes with visibility and never carries a token.
    """
    public = url_for(f"feeds.{kind}_feed", slug=group.slug)
    if is_private(group):
        private = url_for(f"feeds.private_{kind}_feed", slug=group.slug, token=TOKEN_PLACEHOLDER)
        return private, public
    return public, public


def _feed_token(group: Any) -> str | None:
    """What stands for the listener's token in a private group's URLs (apps
    have no session; the token is put in when the feed is served)."""
    return TOKEN_PLACEHOLDER if is_private(group) else None


def _media_url(episode: Any, group: Any, url_for: UrlFor, what: str, **values: Any) -> str:
    if (token := _feed_token(group)) is not None:
        return url_for(f"media.private_episode_{what}", token=token, guid=episode.guid, **values)
    return url_for(f"media.episode_{what}", guid=episode.guid, **values)


def _group_cover_url(group: Any, url_for: UrlFor) -> str:
    return cover_url(group, url_for, token=_feed_token(group))


def _episode_image_url(episode: Any, url_for: UrlFor, covers: Covers) -> str | None:
    """The episode's own picture, else its group's cover (built once per feed)."""
    image = episode.image
    if image is not None and image.rendition_key:
        return _media_url(episode, episode.group, url_for, "image", asset_id=image.id)
    group = episode.group
    if id(group) not in covers:
        covers[id(group)] = _group_cover_url(group, url_for)
    return covers[id(group)]


def _credited(user: Any) -> Person | None:
    """The author as ``podcast:person``, if the public may know their name."""
    name = outbound.line(public_name(user))
    return Person(name) if name else None


def _channel_persons(items: Iterable[Any]) -> list[Person]:
    people = {p.name: p for item in items if (p := _credited(item.author)) is not None}
    return [people[name] for name in sorted(people)]


def _new_podcast_feed() -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension(
        "podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension, atom=False
    )
    fg.generator(GENERATOR)
    return fg


def _channel(
    fg: FeedGenerator,
    *,
    title: str,
    description_html: str,
    link: str,
    self_url: str,
    guid_url: str,
    language: str,
    author: str,
    image: str | None,
    category: tuple[str, str | None],
    explicit: bool,
    block: bool,
    hub: HubInfo,
    updated: dt.datetime,
) -> None:
    fg.title(_title(title))
    # Apps render the channel description as HTML (Apple allows p, a, lists).
    fg.description(description_html)
    # feedgen takes the last link as the RSS <link>: the page must come last.
    fg.link(href=self_url, rel="self", type="application/rss+xml")
    fg.link(href=link, rel="alternate")
    if TOKEN_PLACEHOLDER not in self_url:  # never announce a private feed
        fg.podcastindex.websub_hubs = hub.websub_hubs
    fg.language(language)
    fg.lastBuildDate(updated)
    fg.podcast.itunes_author(outbound.line(author))
    fg.podcast.itunes_type("episodic")
    main, sub = category
    fg.podcast.itunes_category({"cat": main, "sub": sub} if sub else {"cat": main})
    if hub.contact_email:
        fg.podcast.itunes_owner(name=outbound.line(hub.name), email=hub.contact_email)
    if image:
        fg.image(url=image, title=_title(title), link=link)
        fg.podcast.itunes_image(image)
    ext: PodcastIndexExtension = fg.podcastindex
    ext.explicit = explicit
    ext.block = block
    ext.guid = podcast_guid(guid_url)
    # Our feeds must not be imported elsewhere: podcast:locked says so.
    ext.locked = True
    ext.locked_owner = hub.contact_email
    ext.medium = "podcast"


def _add_episode(
    fg: FeedGenerator, episode: Any, url_for: UrlFor, extras: EpisodeExtras, covers: Covers
) -> None:
    group = episode.group
    audio = episode.audio
    fe = fg.add_entry(order="append")
    fe.title(_title(episode.title))
    fe.guid(episode.guid, permalink=False)
    fe.link(href=url_for("site.episode_page", slug=group.slug, item_id=episode.id))
    fe.published(episode.published_at)
    fe.enclosure(
        _media_url(episode, group, url_for, "audio"), str(audio.rendition_size), "audio/mpeg"
    )
    note = (
        shownotes.content_note_line(episode.content_note, group.language)
        if outbound.line(episode.content_note)
        else ""
    )
    chapters = shownotes.chapter_lines(episode.chapters, audio.duration_s)
    # The same sanitised HTML in both: most apps render <description> as HTML.
    notes = shownotes.notes_html(note, episode.description, chapters, base=_site(url_for))
    fe.description(notes or str(outbound.html_text(_title(episode.title))))
    fe.content(notes)
    pod = fe.podcast
    if audio.duration_s:
        pod.itunes_duration(str(round(audio.duration_s)))
    pod.itunes_episode_type(episode.episode_type.value)
    if episode.season:
        pod.itunes_season(episode.season)
    if episode.number:
        pod.itunes_episode(episode.number)
    image = _episode_image_url(episode, url_for, covers)
    if image:
        pod.itunes_image(image)
    ext: PodcastIndexEntryExtension = fe.podcastindex
    ext.explicit = episode.is_explicit or group.is_explicit
    if episode.has_transcript:
        # WebVTT (the namespace's recommendation, as captions), and the same
        # words as Podcasting 2.0 JSON (AntennaPod prefers it) and SubRip.
        ext.transcripts = [
            (_media_url(episode, group, url_for, "transcript"), "text/vtt", "captions"),
            (_media_url(episode, group, url_for, "transcript_json"), "application/json", None),
            (_media_url(episode, group, url_for, "transcript_srt"), "application/x-subrip", None),
        ]
    if episode.chapters:
        ext.chapters_url = _media_url(episode, group, url_for, "chapters")
    person = _credited(episode.author)
    ext.persons = [person] if person else []
    extras.fill(ext, episode.id, _title)


def _episodes_updated(episodes: Sequence[Any]) -> dt.datetime:
    return _latest(
        *(e.updated_at for e in episodes),
        *(e.published_at for e in episodes),
        *(e.audio.updated_at for e in episodes),
    )


def build_podcast_feed(
    group: Any,
    episodes: Sequence[Any],
    *,
    url_for: UrlFor,
    hub: HubInfo,
    extras: EpisodeExtras = NO_EXTRAS,
) -> bytes:
    """A group's podcast RSS.

    Args:
        group: the group (its cover loaded or loadable).
        episodes: its published episodes with ready audio, newest first
            (``queries.feed_episodes``); authors, audio and images loaded.
        url_for: ``(endpoint, **values) -> absolute URL``.
        hub: the hub's name and contact.
        extras: soundbites (approved clips) and where comments live, by episode.
    """
    self_url, public_url = _group_urls(group, url_for, "podcast")
    category = CATEGORIES.get(group.category) or CATEGORIES["self-help"]
    with force_locale(_babel(group.language)):
        description = str(outbound.html(group.description, absolute_base=_site(url_for))) or str(
            outbound.html_text(
                gettext("The podcast of the self-help group %(name)s.", name=group.name)
            )
        )
        fg = _new_podcast_feed()
        _channel(
            fg,
            title=group.name,
            description_html=description,
            link=url_for("site.group_page", slug=group.slug),
            self_url=self_url,
            guid_url=public_url,
            language=group.language,
            author=group.name,
            image=(cover := _group_cover_url(group, url_for)),
            category=(category.apple, category.apple_sub),
            explicit=group.is_explicit,
            block=not is_listed(group),
            hub=hub,
            updated=_latest(group.updated_at, _episodes_updated(episodes)),
        )
        if group.funding_url:
            fg.podcastindex.funding = (group.funding_url, gettext("Support this group"))
        fg.podcastindex.persons = _channel_persons(episodes)
        covers = {id(group): cover}
        for episode in episodes:
            _add_episode(fg, episode, url_for, extras, covers)
    feed: bytes = fg.rss_str(pretty=True)
    return feed


def build_hub_podcast_feed(episodes: Sequence[Any], *, url_for: UrlFor, hub: HubInfo) -> bytes:
    """The hub's podcast: the newest episodes of all public groups."""
    self_url = url_for("feeds.hub_podcast_feed")
    with force_locale(_babel(hub.language)):
        fg = _new_podcast_feed()
        _channel(
            fg,
            title=hub.name,
            description_html=str(
                outbound.html_text(
                    gettext("Podcasts of the self-help groups at %(hub)s.", hub=hub.name)
                )
            ),
            link=url_for("site.home"),
            self_url=self_url,
            guid_url=self_url,
            language=hub.language,
            author=hub.name,
            image=hub.cover_url,
            category=(CATEGORIES["self-help"].apple, CATEGORIES["self-help"].apple_sub),
            explicit=False,
            block=False,
            hub=hub,
            updated=_episodes_updated(episodes),
        )
        covers: Covers = {}
        for episode in episodes:
            _add_episode(fg, episode, url_for, NO_EXTRAS, covers)
    feed: bytes = fg.rss_str(pretty=True)
    return feed


# Blog (Atom) ---------------------------------------------------------------


def _new_atom(
    title: str, feed_id: str, self_url: str, link: str, language: str, hub: HubInfo
) -> FeedGenerator:
    fg = FeedGenerator()
    fg.generator(GENERATOR)
    fg.id(feed_id)
    fg.title(_title(title))
    fg.link(href=link, rel="alternate", type="text/html")
    fg.link(href=self_url, rel="self", type="application/atom+xml")
    if TOKEN_PLACEHOLDER not in self_url:  # never announce a private feed
        for websub_hub in hub.websub_hubs:
            fg.link(href=websub_hub, rel="hub")
    fg.language(language)
    return fg


def _add_post(fg: FeedGenerator, post: Any, url_for: UrlFor) -> None:
    group = post.group
    fe = fg.add_entry(order="append")
    fe.id(f"urn:uuid:{post.guid}")
    fe.title(_title(post.title))
    fe.link(href=url_for("site.post_page", slug=group.slug, item_id=post.id), rel="alternate")
    fe.published(post.published_at)
    fe.updated(_latest(post.published_at, post.updated_at))
    person = _credited(post.author)
    fe.author(name=person.name if person else _title(group.name))
    note = (
        shownotes.content_note_line(post.content_note, group.language)
        if outbound.line(post.content_note)
        else ""
    )
    content = shownotes.notes_html(note, post.body, [], base=_site(url_for))
    if is_private(group):
        content = shownotes.pictures_under_token(content, url_for, TOKEN_PLACEHOLDER)
    fe.content(content, type="html")


def _posts_updated(posts: Sequence[Any]) -> dt.datetime:
    return _latest(*(p.updated_at for p in posts), *(p.published_at for p in posts))


def build_blog_feed(group: Any, posts: Sequence[Any], *, url_for: UrlFor, hub: HubInfo) -> bytes:
    """A group's blog as Atom, full sanitised HTML in every entry."""
    self_url, public_url = _group_urls(group, url_for, "blog")
    with force_locale(_babel(group.language)):
        fg = _new_atom(
            group.name,
            public_url,
            self_url,
            url_for("site.group_page", slug=group.slug),
            group.language,
            hub,
        )
        if subtitle := outbound.text(group.description):
            fg.subtitle(subtitle)  # an Atom text construct: plain text
        fg.author(name=_title(group.name))
        fg.logo(_group_cover_url(group, url_for))  # there is always artwork
        fg.updated(_latest(group.updated_at, _posts_updated(posts)))
        for post in posts:
            _add_post(fg, post, url_for)
    feed: bytes = fg.atom_str(pretty=True)
    return feed


def build_hub_blog_feed(posts: Sequence[Any], *, url_for: UrlFor, hub: HubInfo) -> bytes:
    """The hub's blog: the newest posts of all public groups."""
    self_url = url_for("feeds.hub_blog_feed")
    with force_locale(_babel(hub.language)):
        fg = _new_atom(hub.name, self_url, self_url, url_for("site.home"), hub.language, hub)
        fg.author(name=_title(hub.name))
        fg.subtitle(
            outbound.line(gettext("Blogs of the self-help groups at %(hub)s.", hub=hub.name))
        )
        fg.updated(_posts_updated(posts))
        for post in posts:
            _add_post(fg, post, url_for)
    feed: bytes = fg.atom_str(pretty=True)
    return feed
