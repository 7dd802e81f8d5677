"""A feedgen extension for the Podcasting 2.0 namespace, and Apple's fixes.

Registered as ``podcastindex`` (feedgen's own iTunes extension already holds
the name ``podcast``)::

    fg.load_extension("podcast")            # itunes:* that feedgen writes well
    fg.register_extension("podcastindex", PodcastIndexExtension,
                          PodcastIndexEntryExtension, atom=False)

Besides ``podcast:*`` it writes the iTunes tags feedgen gets wrong for Apple
today: ``itunes:explicit`` as ``true``/``false`` (feedgen only knows
yes/no/clean) and ``itunes:block`` as ``Yes``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM_NS = "http://www.w3.org/2005/Atom"
#: The namespace the Podcasting 2.0 spec fixes for ``podcast:guid``.
GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid(feed_url: str) -> str:
    """``podcast:guid`` per the spec: UUIDv5 of the feed URL without its scheme
    (``https://``) and without trailing slashes."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(GUID_NAMESPACE, bare))


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str = "host"


def _p(tag: str) -> str:
    return f"{{{PODCAST_NS}}}{tag}"


def _i(tag: str) -> str:
    return f"{{{ITUNES_NS}}}{tag}"


def _persons(parent, persons: list[Person]) -> None:
    for person in persons:
        el = xml_elem(_p("person"), parent, role=person.role)
        el.text = person.name


@dataclass(frozen=True, slots=True)
class Soundbite:
    """``podcast:soundbite``: a passage worth sharing (an approved clip)."""

    start_s: float
    duration_s: float
    title: str


@dataclass(frozen=True, slots=True)
class SocialInteract:
    """``podcast:socialInteract``: where an episode's comments live, or
    ``protocol="disabled"`` when the group takes none."""

    protocol: str
    uri: str | None = None
    account_id: str | None = None
    account_url: str | None = None


@dataclass(frozen=True, slots=True)
class EpisodeExtras:
    """What other features add to a feed's items, by episode id."""

    soundbites: Mapping[int, Sequence[Soundbite]] = field(default_factory=dict)
    social: Mapping[int, SocialInteract] = field(default_factory=dict)
    #: For episodes without an entry in ``social`` (None: no tag).
    social_default: SocialInteract | None = None

    def fill(self, ext: Any, episode_id: int, clean: Callable[[str], str]) -> None:
        """Give an item's ``podcast:`` extension its soundbites (titles made
        safe with ``clean``) and its ``socialInteract``."""
        ext.soundbites = [
            Soundbite(bite.start_s, bite.duration_s, clean(bite.title))
            for bite in self.soundbites.get(episode_id, ())
        ]
        ext.social = self.social.get(episode_id, self.social_default)


class PodcastIndexExtension(BaseExtension):
    """Channel-level ``podcast:*`` tags plus ``itunes:explicit``/``itunes:block``."""

    def __init__(self) -> None:
        self.guid: str | None = None
        self.locked: bool | None = None
        self.locked_owner: str | None = None
        self.funding: tuple[str, str] | None = None  # (url, text)
        self.medium: str | None = None
        self.block: bool = False
        self.persons: list[Person] = []
        self.explicit: bool | None = None
        #: WebSub hubs; feedgen's RSS writer only emits the self atom:link.
        self.websub_hubs: tuple[str, ...] = ()

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, feed):
        channel = feed[0]
        for hub in self.websub_hubs:
            xml_elem(f"{{{ATOM_NS}}}link", channel, href=hub, rel="hub")
        if self.explicit is not None:
            xml_elem(_i("explicit"), channel).text = "true" if self.explicit else "false"
        if self.block:
            # Apple: "Yes" hides the show; any other value does not.
            xml_elem(_i("block"), channel).text = "Yes"
            xml_elem(_p("block"), channel).text = "yes"
        if self.guid:
            xml_elem(_p("guid"), channel).text = self.guid
        if self.locked is not None:
            locked = xml_elem(_p("locked"), channel)
            locked.text = "yes" if self.locked else "no"
            if self.locked_owner:
                locked.attrib["owner"] = self.locked_owner
        if self.funding:
            url, text = self.funding
            xml_elem(_p("funding"), channel, url=url).text = text
        if self.medium:
            xml_elem(_p("medium"), channel).text = self.medium
        _persons(channel, self.persons)
        return feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item-level ``podcast:*`` tags plus ``itunes:explicit``."""

    def __init__(self) -> None:
        #: (url, type, rel) of each transcript format, WebVTT first.
        self.transcripts: list[tuple[str, str, str | None]] = []
        self.chapters_url: str | None = None
        self.persons: list[Person] = []
        self.explicit: bool | None = None
        self.soundbites: Sequence[Soundbite] = ()
        self.social: SocialInteract | None = None

    def extend_rss(self, entry):
        if self.explicit is not None:
            xml_elem(_i("explicit"), entry).text = "true" if self.explicit else "false"
        for url, kind, rel in self.transcripts:
            attributes = {"url": url, "type": kind, **({"rel": rel} if rel else {})}
            xml_elem(_p("transcript"), entry, **attributes)
        if self.chapters_url:
            xml_elem(_p("chapters"), entry, url=self.chapters_url, type="application/json+chapters")
        for bite in self.soundbites:
            xml_elem(
                _p("soundbite"),
                entry,
                startTime=f"{bite.start_s:.2f}",
                duration=f"{bite.duration_s:.2f}",
            ).text = bite.title
        if self.social is not None:
            attrs = {"protocol": self.social.protocol}
            if self.social.uri:
                attrs.update(uri=self.social.uri, priority="1")
            if self.social.account_id:
                attrs["accountId"] = self.social.account_id
            if self.social.account_url:
                attrs["accountUrl"] = self.social.account_url
            xml_elem(_p("socialInteract"), entry, **attrs)
        _persons(entry, self.persons)
        return entry
