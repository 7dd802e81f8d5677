"""Absolute URLs for feeds, outside any request (worker, CLI).

The builder takes a plain ``url_for(endpoint, **values) -> str`` callable, so
tests can hand it fixed URLs; :func:`feed_url_for` is the real one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import current_app
from werkzeug.routing import BuildError

from ..urls import absolute_url

UrlFor = Callable[..., str]

#: The contract's paths of endpoints that another branch adds (serving, media
#: variants, site pages); used only while such an endpoint is not registered,
#: so a feed built before the merge names the same URLs as one built after.
CONTRACT_PATHS: dict[str, str] = {
    "feeds.podcast_feed": "/feeds/{slug}/podcast.xml",
    "feeds.blog_feed": "/feeds/{slug}/blog.atom",
    "feeds.hub_podcast_feed": "/feeds/podcast.xml",
    "feeds.hub_blog_feed": "/feeds/blog.atom",
    "feeds.private_podcast_feed": "/feeds/{slug}/private/{token}/podcast.xml",
    "feeds.private_blog_feed": "/feeds/{slug}/private/{token}/blog.atom",
    "media.episode_audio": "/media/episodes/{guid}.mp3",
    "media.episode_transcript": "/media/episodes/{guid}.vtt",
    "media.episode_chapters": "/media/episodes/{guid}.chapters.json",
    "media.private_episode_audio": "/media/private/{token}/episodes/{guid}.mp3",
    "media.private_episode_transcript": "/media/private/{token}/episodes/{guid}.vtt",
    "media.private_episode_chapters": "/media/private/{token}/episodes/{guid}.chapters.json",
    "media.group_cover": "/media/groups/{slug}/cover-{asset_id}.jpg",
    "media.episode_image": "/media/episodes/{guid}/image-{asset_id}.jpg",
    "site.home": "/",
    "site.group_page": "/groups/{slug}/",
    "site.episode_page": "/groups/{slug}/episodes/{item_id}",
    "site.post_page": "/groups/{slug}/posts/{item_id}",
}


def feed_url_for(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` under BASE_URL (needs an app context)."""
    if endpoint in current_app.view_functions:
        return absolute_url(endpoint, **values)
    template = CONTRACT_PATHS.get(endpoint)
    if template is None:
        raise BuildError(endpoint, values, None)
    path = template.format(**{k: quote(str(v), safe="") for k, v in values.items()})
    return current_app.config["BASE_URL"] + path
