"""Public pages: hub home, group pages, episode and post pages, embed player."""

from __future__ import annotations

from typing import Any

from flask import abort, make_response, render_template, request
from webvtt.errors import MalformedCaptionError, MalformedFileError

from mediahub.accounts.identity import viewer
from mediahub.core.search import clean_query
from mediahub.core.urls import absolute_url
from mediahub.episodes.models import Episode
from mediahub.episodes.transcripts import Cue, cues
from mediahub.groups.categories import CATEGORIES
from mediahub.groups.listing import is_listed
from mediahub.groups.models import Group, Visibility
from mediahub.groups.policy import can_view_group
from mediahub.posts.models import Post
from mediahub.review.policy import can_view_item
from mediahub.site import meta, queries
from mediahub.site.blueprint import bp
from mediahub.web.headers import allow_framing

#: Longer transcripts are folded away in a <details>.
TRANSCRIPT_OPEN_CUES = 12


def page(template: str, *, noindex: bool = False, **context: Any) -> Any:
    """Render a public page; pages search engines must skip say so twice
    (meta tag and X-Robots-Tag header)."""
    resp = make_response(render_template(template, noindex=noindex, **context))
    if noindex:
        resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return resp


def _group_or_404(slug: str) -> Group:
    group = queries.group_with_cover(slug)
    if group is None or not can_view_group(viewer(), group):
        abort(404)
    return group


def _item_or_404(cls: Any, slug: str, item_id: int) -> Any:
    item = queries.item_for_page(cls, item_id)
    if item is None or item.group.slug != slug or not can_view_item(viewer(), item):
        abort(404)
    return item


def _indexable(item: Any) -> bool:
    return item.is_public and is_listed(item.group)


@bp.route("/")
def home() -> Any:
    topic = queries.clean_topic(request.args.get("topic"))
    text = clean_query(request.args.get("q"))
    groups = queries.directory(topic, text)
    filtered = bool(topic or text)
    show_latest = not filtered and groups.number == 1
    return page(
        "site/home.html",
        groups=groups,
        topic=topic,
        q=text,
        filtered=filtered,
        topics=CATEGORIES,
        episodes=queries.latest(Episode) if show_latest else [],
        # Episodes in which the words are said (or in title and show notes).
        found_episodes=queries.episodes_saying(text) if text else [],
        posts=queries.latest(Post) if show_latest else [],
        show_latest=show_latest,
        # A filtered or later page is a variant of the start page, not a page of its own.
        noindex=filtered,
    )


def subscribing(group: Group) -> dict[str, Any]:
    """What the subscribe box and the feed links in ``<head>`` show: the
    group's feed addresses and app links; nothing for a private group (its
    feeds are each listener's secret)."""
    if group.visibility == Visibility.PRIVATE:
        return {"feed_url": None, "blog_feed_url": None, "apps": []}
    feed = meta.feed_url(group)
    return {
        "feed_url": feed,
        "blog_feed_url": absolute_url("feeds.blog_feed", slug=group.slug),
        "apps": meta.app_links(feed),
    }


@bp.route("/groups/<slug>/")
def group_page(slug: str) -> Any:
    group = _group_or_404(slug)
    is_private = group.visibility == Visibility.PRIVATE
    return page(
        "site/group.html",
        group=group,
        topic=CATEGORIES.get(group.category),
        episodes=queries.group_items(Episode, group, "page"),
        posts=queries.group_items(Post, group, "posts_page"),
        meta=None if is_private else meta.group_meta(group),
        noindex=not is_listed(group),
        **subscribing(group),
    )


def transcript_cues(episode: Episode) -> list[Cue]:
    """The transcript as cues; a stored file that no longer parses shows none
    rather than breaking the page."""
    try:
        return cues(episode.transcript_vtt)
    except (MalformedFileError, MalformedCaptionError, ValueError, IndexError):
        return []


@bp.route("/groups/<slug>/episodes/<int:item_id>")
def episode_page(slug: str, item_id: int) -> Any:
    episode = _item_or_404(Episode, slug, item_id)
    group = episode.group
    shareable = group.visibility != Visibility.PRIVATE and episode.is_public
    transcript = transcript_cues(episode)
    return page(
        "site/episode.html",
        episode=episode,
        group=group,
        transcript=transcript,
        transcript_folded=len(transcript) > TRANSCRIPT_OPEN_CUES,
        page_url=absolute_url("site.episode_page", slug=group.slug, item_id=episode.id),
        embed_code=meta.embed_code(episode) if shareable else None,
        shareable=shareable,
        meta=meta.episode_meta(episode) if shareable else None,
        noindex=not _indexable(episode),
        **subscribing(group),
    )


@bp.route("/groups/<slug>/posts/<int:item_id>")
def post_page(slug: str, item_id: int) -> Any:
    post = _item_or_404(Post, slug, item_id)
    group = post.group
    shareable = group.visibility != Visibility.PRIVATE and post.is_public
    return page(
        "site/post.html",
        post=post,
        group=group,
        page_url=absolute_url("site.post_page", slug=group.slug, item_id=post.id),
        shareable=shareable,
        meta=meta.post_meta(post) if shareable else None,
        noindex=not _indexable(post),
    )


@bp.route("/embed/episodes/<guid>")
def embed_episode(guid: str) -> Any:
    """The player other sites may frame: published episodes of public and
    unlisted groups only."""
    episode = queries.published_episode(guid)
    if episode is None or episode.audio is None or not episode.audio.is_ready:
        abort(404)
    allow_framing()
    return page("site/embed.html", episode=episode, group=episode.group, noindex=True)
