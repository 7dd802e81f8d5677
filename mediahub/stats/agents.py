"""Who asks for a file — an app, a device, a bot — from the OPAWG user agents data.

The data is a pinned copy of the Open Podcast Analytics Working Group's
user-agents-v2 collection (``data/opawg/``, MIT licence; SOURCE.md names the
commit). Matching follows its README: the files ``bots``, ``apps``,
``libraries`` and ``browsers`` in this order, the first entry whose pattern
matches; a library with the category ``bot`` (curl, python-requests…) is a
bot too. Our own additions (``data/own/bots.json``: fediverse servers the
copy does not know) come after its bots. For everything that is not a bot,
the first matching entry of ``devices`` names the device and its category
(mobile, computer…).

Only the result is kept (:class:`Agent`: a kind and the entry's name); the
user agent itself is never stored. Patterns are compiled once per process,
and results are remembered per user agent in memory, as a hub sees the same
few hundred agents again and again.
"""

from __future__ import annotations

import enum
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data" / "opawg"
#: MediaHub's additions to the data, in the same shape.
OWN_DATA = Path(__file__).parent / "data" / "own"
#: The files matched for the entity, in the order the data's README gives.
ENTITY_FILES = ("bots", "apps", "libraries", "browsers")
#: Longest part of a user agent that is looked at. Real ones are shorter
#: than 300 characters; a few patterns (``.*Android.*Chrome/``) take time
#: that grows with the square of the length, and a header may be 8 KB.
MAX_AGENT_CHARS = 512
#: Our own fetchers (WebSub pings, link checks) call themselves this.
OWN_AGENT = re.compile(r"^MediaHub\b")
#: "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 16 subscribers)",
#: "Overcast/1.0 Podcast Sync (12 subscribers; feed-id=…)", Inoreader's
#: "7 subscribers", NewsBlur's "3 readers"…
ANNOUNCED = re.compile(r"\b(\d{1,9})[ +](?:subscribers?|readers?|users?)\b", re.IGNORECASE)
#: More than this many subscribers announced by one fetcher is not believed.
MAX_ANNOUNCED = 1_000_000
#: Results remembered per process (the agents themselves stay in memory only).
CACHE_SIZE = 8192


class AgentKind(enum.StrEnum):
    """What kind of client asked; only listeners' requests are counted."""

    APP = "app"  # a podcast app (Apple Podcasts, AntennaPod, Overcast…)
    LIBRARY = "library"  # a media framework apps use (AppleCoreMedia, ExoPlayer…)
    BROWSER = "browser"  # a web browser (our own player, a downloaded file)
    UNKNOWN = "unknown"  # nothing in the data matched: counted, as IAB asks
    BOT = "bot"  # crawlers, feed fetchers, HTTP libraries, link previews
    OWN = "own"  # our own software
    NONE = "none"  # no user agent at all

    @property
    def is_listener(self) -> bool:
        """Whether requests of this kind can be a person listening."""
        return self in _LISTENERS


_LISTENERS = frozenset({AgentKind.APP, AgentKind.LIBRARY, AgentKind.BROWSER, AgentKind.UNKNOWN})
_FILE_KINDS = {
    "bots": AgentKind.BOT,
    "apps": AgentKind.APP,
    "libraries": AgentKind.LIBRARY,
    "browsers": AgentKind.BROWSER,
}


@dataclass(frozen=True, slots=True)
class Agent:
    """The class of a client: all that is kept of its user agent."""

    kind: AgentKind
    #: The data's entry name ("Apple Podcasts", "Feedly"); empty if none matched.
    name: str = ""
    #: The device entry's name ("Apple iPhone"); empty for bots and unknown devices.
    device: str = ""
    #: The device's category ("mobile", "computer", "smart_speaker"…); empty if unknown.
    category: str = ""

    @property
    def is_listener(self) -> bool:
        return self.kind.is_listener


@dataclass(frozen=True, slots=True)
class Entry:
    """One pattern of the data, compiled."""

    kind: str  # the file: bots, apps, libraries, browsers, devices
    name: str
    pattern: re.Pattern[str]
    category: str
    examples: tuple[str, ...]


def _load(name: str, folder: Path = DATA) -> list[Entry]:
    raw = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    # JavaScript's \d and \w are ASCII only; the patterns are written for it.
    return [
        Entry(
            kind=name,
            name=item["name"],
            pattern=re.compile(item["pattern"], re.ASCII),
            category=item.get("category", ""),
            examples=tuple(item.get("examples", ())),
        )
        for item in raw["entries"]
    ]


class Classifier:
    """The compiled data: :meth:`classify` answers for one user agent."""

    def __init__(self) -> None:
        self.entities = [(_FILE_KINDS[name], _load(name)) for name in ENTITY_FILES]
        self.entities[0][1].extend(_load("bots", OWN_DATA))
        self.devices = _load("devices")
        #: Entry names that are bots; the rollup applies them to stored names
        #: again, so figures follow an updated list for the entries it moved.
        self.bot_names = frozenset(
            entry.name
            for kind, entries in self.entities
            for entry in entries
            if kind == AgentKind.BOT or entry.category == "bot"
        )
        self.classify = functools.lru_cache(maxsize=CACHE_SIZE)(self._classify)

    def entries(self) -> list[Entry]:
        """Every entry of every file (for the tests)."""
        return [e for _, entries in self.entities for e in entries] + self.devices

    def match_entity(self, agent: str) -> tuple[AgentKind, Entry] | None:
        """The first matching entry of the entity files, as the data prescribes."""
        for kind, entries in self.entities:
            for entry in entries:
                if entry.pattern.search(agent):
                    return kind, entry
        return None

    def match_device(self, agent: str) -> Entry | None:
        for entry in self.devices:
            if entry.pattern.search(agent):
                return entry
        return None

    def _classify(self, user_agent: str | None) -> Agent:
        agent = normalise(user_agent)
        if not agent:
            return Agent(AgentKind.NONE)
        if OWN_AGENT.match(agent):
            return Agent(AgentKind.OWN, "MediaHub")
        found = self.match_entity(agent)
        if found is not None:
            kind, entry = found
            if kind == AgentKind.BOT or entry.category == "bot":
                return Agent(AgentKind.BOT, entry.name)
        device = self.match_device(agent)
        return Agent(
            found[0] if found else AgentKind.UNKNOWN,
            found[1].name if found else "",
            device.name if device else "",
            device.category if device else "",
        )


def normalise(user_agent: str | None) -> str:
    """The user agent as it is matched and hashed: newlines removed (the data's
    README asks so), outer spaces stripped, at most :data:`MAX_AGENT_CHARS`."""
    if not user_agent:
        return ""
    return user_agent.replace("\r", "").replace("\n", "").strip()[:MAX_AGENT_CHARS]


@functools.cache
def classifier() -> Classifier:
    """The process's classifier (the data is read and compiled on first use)."""
    return Classifier()


def classify(user_agent: str | None) -> Agent:
    """The class of the client that sent ``user_agent``."""
    return classifier().classify(user_agent)


def announced_subscribers(user_agent: str | None, agent: Agent) -> int | None:
    """The subscriber count a feed fetcher announces in its user agent, if any.

    Only fetchers the data knows are believed (a made-up agent could claim
    anything); counts beyond :data:`MAX_ANNOUNCED` are ignored.
    """
    if not agent.name or agent.kind == AgentKind.OWN:
        return None
    found = ANNOUNCED.search(normalise(user_agent))
    if found is None:
        return None
    count = int(found.group(1))
    return count if 0 < count <= MAX_ANNOUNCED else None


def is_bot_name(name: str) -> bool:
    """Whether a stored entry name is a bot in the current data."""
    return name in classifier().bot_names
