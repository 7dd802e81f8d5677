"""What pages tell link previews and search engines: Open Graph and
schema.org JSON-LD, plus the one-click subscribe links for podcast apps.

Everything here is plain data, converted for its destination by
:mod:`mediahub.core.outbound` (titles and names as one line, descriptions as a
plain-text summary); templates write it out escaped, the JSON-LD through
``outbound.script_json`` (``</script>`` in a title cannot end the block).
People are named only as ``public_name`` allows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from markupsafe import escape

from mediahub.accounts.credit import public_name
from mediahub.core import outbound
from mediahub.core.urls import absolute_url
from mediahub.media.artwork import cover_url as artwork_url


def iso_duration(seconds: float | None) -> str | None:
    """ISO 8601 duration (``PT1H2M3S``), as schema.org expects."""
    if seconds is None:
        return None
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


def cover_url(group: Any) -> str:
    """The group's cover as an absolute address (the generated one if none)."""

    return artwork_url(group, absolute_url)


def feed_url(group: Any) -> str:
    return absolute_url("feeds.podcast_feed", slug=group.slug)


def app_links(url: str) -> list[tuple[str, str]]:
    """Links that open a podcast app's subscribe dialog for ``url``.

    Only schemes the apps (or the Podlove subscribe button's client list)
    document: Apple Podcasts ``podcast://``, Overcast's x-callback-url,
    Pocket Casts ``pktc://subscribe/``, AntennaPod ``itpc://``. No scripts,
    no images, nothing is loaded from elsewhere.
    """
    rest = url.split("://", 1)[-1]
    return [
        ("Apple Podcasts", f"podcast://{rest}"),
        ("Overcast", "overcast://x-callback-url/add?url=" + quote(url, safe="")),
        ("Pocket Casts", f"pktc://subscribe/{rest}"),
        ("AntennaPod", f"itpc://{rest}"),
    ]


def embed_code(episode: Any) -> str:
    """The HTML another site pastes to show our player (shown, escaped, in a textarea)."""
    url = absolute_url("site.embed_episode", guid=episode.guid)
    return (
        f'<iframe src="{escape(url)}" title="{escape(outbound.line(episode.title))}" '
        'width="100%" height="200" loading="lazy" style="border:0"></iframe>'
    )


def _series(group: Any) -> dict[str, Any]:
    return {
        "@type": "PodcastSeries",
        "name": outbound.line(group.name),
        "url": absolute_url("site.group_page", slug=group.slug),
    }


def group_meta(group: Any) -> dict[str, Any]:
    url = absolute_url("site.group_page", slug=group.slug)
    image = cover_url(group)
    description = outbound.summary(group.description)
    ld = {
        "@context": "https://schema.org",
        **_series(group),
        "description": description,
        "inLanguage": group.language,
        "webFeed": feed_url(group),
    }
    if image:
        ld["image"] = image
    return {
        "og": {
            "type": "website",
            "title": outbound.line(group.name),
            "description": description,
            "url": url,
        },
        "image": image,
        "ld": ld,
    }


def episode_meta(episode: Any) -> dict[str, Any]:
    group = episode.group
    url = absolute_url("site.episode_page", slug=group.slug, item_id=episode.id)
    image = cover_url(group)
    description = outbound.summary(episode.description)
    audio = episode.audio
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "PodcastEpisode",
        "name": outbound.line(episode.title),
        "url": url,
        "description": description,
        "partOfSeries": _series(group),
    }
    if episode.published_at:
        ld["datePublished"] = episode.published_at.isoformat()
    if episode.number:
        ld["episodeNumber"] = episode.number
    if image:
        ld["image"] = image
    audio_url = None
    if audio is not None and audio.is_ready:
        audio_url = absolute_url("media.episode_audio", guid=episode.guid)
        media: dict[str, Any] = {
            "@type": "MediaObject",
            "contentUrl": audio_url,
            "encodingFormat": "audio/mpeg",
        }
        if duration := iso_duration(audio.duration_s):
            media["duration"] = duration
            ld["duration"] = duration
        ld["associatedMedia"] = media
    if name := outbound.line(public_name(episode.author)):
        ld["author"] = {"@type": "Person", "name": name}
    return {
        "og": {
            "type": "article",
            "title": outbound.line(episode.title),
            "description": description,
            "url": url,
        },
        "image": image,
        "audio": audio_url,
        "ld": ld,
    }


def post_meta(post: Any) -> dict[str, Any]:
    group = post.group
    url = absolute_url("site.post_page", slug=group.slug, item_id=post.id)
    image = cover_url(group)
    description = outbound.summary(post.body)
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": outbound.line(post.title),
        "url": url,
        "description": description,
        "dateModified": post.updated_at.isoformat(),
        "isPartOf": {
            "@type": "Blog",
            "name": outbound.line(group.name),
            "url": absolute_url("site.group_page", slug=group.slug),
        },
    }
    if post.published_at:
        ld["datePublished"] = post.published_at.isoformat()
    if image:
        ld["image"] = image
    if name := outbound.line(public_name(post.author)):
        ld["author"] = {"@type": "Person", "name": name}
    return {
        "og": {
            "type": "article",
            "title": outbound.line(post.title),
            "description": description,
            "url": url,
        },
        "image": image,
        "ld": ld,
    }
