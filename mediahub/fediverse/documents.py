"""The documents a group's fediverse presence publishes, as plain dicts.

Pure functions of plain values (no Flask, no database), built on pubby's
models (``pubby.Actor``, ``pubby.Object``, its activity builders and JSON-LD
context) so that the shapes are the ones Mastodon and the rest expect:

- the actor (an ``Organization``: name, description, artwork, links to the
  group's page and feed as profile fields, the public key);
- WebFinger (``acct:slug@hub-domain``) and NodeInfo 2.1;
- a ``Note`` for each new episode or blog post: title, short text and link,
  the episode's MP3 as an audio attachment, and the content note as the
  content warning (``summary`` + ``sensitive``), as Mastodon shows it;
- ``Create``, ``Delete``, ``Accept`` and ``Update`` (of the profile or a post).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from pubby import Actor, Object, build_delete_activity, property_value_attachment

# The JSON-LD context every pubby builder uses (not re-exported by pubby).
from pubby._model import AP_CONTEXT

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACTOR_TYPE = "Organization"
NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"


@dataclass(frozen=True, slots=True)
class ActorUrls:
    """Every address of one group actor (absolute, from ``BASE_URL``)."""

    actor: str
    inbox: str
    outbox: str
    followers: str
    following: str
    shared_inbox: str

    @property
    def key_id(self) -> str:
        return f"{self.actor}#main-key"


@dataclass(frozen=True, slots=True)
class Profile:
    """What the group shows as a fediverse profile."""

    username: str
    name: str
    summary_html: str
    icon_url: str
    page_url: str
    feed_url: str
    public_key_pem: str


def actor_document(urls: ActorUrls, profile: Profile, *, labels: tuple[str, str]) -> dict:
    """The actor document; ``labels`` name the two profile fields (page, feed)."""
    actor = Actor(
        id=urls.actor,
        type=ACTOR_TYPE,
        preferred_username=profile.username,
        name=profile.name,
        summary=profile.summary_html,
        inbox=urls.inbox,
        outbox=urls.outbox,
        followers=urls.followers,
        following=urls.following,
        icon={"type": "Image", "mediaType": "image/jpeg", "url": profile.icon_url},
        public_key_pem=profile.public_key_pem,
        manually_approves_followers=False,
        discoverable=True,
        url=profile.page_url,
        endpoints={"sharedInbox": urls.shared_inbox},
        attachment=[
            property_value_attachment(labels[0], profile.page_url),
            property_value_attachment(labels[1], profile.feed_url),
        ],
    )
    return actor.to_dict()


def webfinger(username: str, domain: str, actor_url: str, page_url: str) -> dict:
    """The JRD for ``acct:username@domain`` (RFC 7033)."""
    return {
        "subject": f"acct:{username}@{domain}",
        "aliases": [actor_url, page_url],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor_url},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": page_url},
        ],
    }


def nodeinfo_links(nodeinfo_url: str) -> dict:
    """``/.well-known/nodeinfo``: where the NodeInfo 2.1 document is."""
    return {"links": [{"rel": NODEINFO_SCHEMA, "href": nodeinfo_url}]}


def nodeinfo(*, version: str, name: str, actors: int, posts: int) -> dict:
    """NodeInfo 2.1: counts of group actors and federated items, no people."""
    return {
        "version": "2.1",
        "software": {"name": "mediahub", "version": version},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["rss2.0", "atom1.0"]},
        "openRegistrations": False,
        "usage": {"users": {"total": actors}, "localPosts": posts},
        "metadata": {"nodeName": name},
    }


@dataclass(frozen=True, slots=True)
class Item:
    """An episode or blog post as followers see it."""

    object_id: str
    page_url: str
    title: str
    text: str
    published_at: dt.datetime
    language: str
    content_note: str = ""
    audio_url: str = ""
    audio_bytes: int = 0
    duration_s: float = 0.0


def note(urls: ActorUrls, item: Item) -> dict:
    """The ``Note`` for an item: title, short text and link (HTML escaped
    here: every value comes in as plain text), the audio attached."""
    content = f"<p><strong>{escape(item.title)}</strong></p>"
    if item.text:
        content += f"<p>{escape(item.text)}</p>"
    content += f'<p><a href="{escape(item.page_url)}">{escape(item.page_url)}</a></p>'
    attachment = []
    if item.audio_url:
        attachment.append(
            {
                "type": "Audio",
                "mediaType": "audio/mpeg",
                "url": item.audio_url,
                "name": item.title,
            }
        )
    obj = Object(
        id=item.object_id,
        type="Note",
        content=content,
        url=item.page_url,
        attributed_to=urls.actor,
        published=item.published_at,
        summary=item.content_note or None,
        sensitive=bool(item.content_note),
        attachment=attachment,
        to=[PUBLIC],
        cc=[urls.followers],
        language=item.language,
    )
    return obj.to_dict()


def create(urls: ActorUrls, obj: dict) -> dict:
    return {
        "@context": AP_CONTEXT,
        "id": f"{obj['id']}#create",
        "type": "Create",
        "actor": urls.actor,
        "published": obj.get("published"),
        "to": [PUBLIC],
        "cc": [urls.followers],
        "object": obj,
    }


def delete(urls: ActorUrls, object_id: str, serial: int) -> dict:
    """``Delete`` of an item we published (a Tombstone, to followers)."""
    return build_delete_activity(
        urls.actor,
        object_id,
        to=[PUBLIC],
        cc=[urls.followers],
        activity_id=f"{object_id}#delete-{serial}",
    )


def accept(urls: ActorUrls, follow: dict, serial: str) -> dict:
    return {
        "@context": AP_CONTEXT,
        "id": f"{urls.actor}#accepts/{serial}",
        "type": "Accept",
        "actor": urls.actor,
        "object": follow,
    }


def update(urls: ActorUrls, document: dict, serial: str) -> dict:
    """``Update`` of the profile or of a post (``document``, as it is now)."""
    return {
        "@context": AP_CONTEXT,
        "id": f"{urls.actor}#updates/{serial}",
        "type": "Update",
        "actor": urls.actor,
        "to": [PUBLIC],
        "cc": [urls.followers],
        "object": document,
    }
