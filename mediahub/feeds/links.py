"""Absolute URLs for feeds, outside any request (worker, CLI).

The builder takes a plain ``url_for(endpoint, **values) -> str`` callable, so
tests can hand it fixed URLs; :func:`feed_url_for` is the real one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app
from werkzeug.routing import BuildError

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


def make_url_for() -> UrlFor:
    """A ``url_for(endpoint, **values)`` giving absolute URLs under BASE_URL,
    the same as :func:`mediahub.urls.absolute_url`.

    The URL map is bound once: a feed of 500 episodes needs a few thousand
    URLs, and a request context per URL would cost most of the rebuild.
    """
    app = current_app._get_current_object()
    base = app.config["BASE_URL"]
    parts = urlsplit(base)
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)

    def url_for(endpoint: str, **values: Any) -> str:
        if endpoint in app.view_functions:
            return adapter.build(endpoint, values, force_external=True)
        template = CONTRACT_PATHS.get(endpoint)
        if template is None:
            raise BuildError(endpoint, values, None)
        path = template.format(**{k: quote(str(v), safe="") for k, v in values.items()})
        return base + path

    return url_for
