"""One day's raw events counted into figures: the pure core of the rollup.

The rollup (:mod:`mediahub.stats.rollup`) reads a day's raw events from the
database and writes what :func:`count_day` makes of them. Counting again
from the same events gives the same figures, and an event stored twice
changes nothing (ranges are joined, listeners are sets, announced
subscribers take the largest count), so a batch written again after a crash
is harmless.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from mediahub.stats.agents import AgentKind, is_bot_name
from mediahub.stats.counting import is_download

#: The app figure of every web browser (they are one class on the pages).
BROWSER = "*browser"
_LISTENER_KINDS = frozenset(k.value for k in AgentKind if k.is_listener)


class AudioEvent(NamedTuple):
    """A raw audio event as the rollup reads it."""

    episode_id: int
    group_id: int
    listener: int
    agent_kind: str
    agent: str
    category: str
    country: str
    start: int
    stop: int
    needed: int


class FeedEvent(NamedTuple):
    """A raw feed event as the rollup reads it."""

    group_id: int | None
    feed: str
    listener: int
    agent_kind: str
    agent: str
    subscribers: int | None


@dataclass
class Figures:
    """What one day's events come to."""

    #: (group, episode, app, device category, country) → downloads.
    daily: Counter[tuple[int, int, str, str, str]] = field(default_factory=Counter)
    #: (group, episode) → downloads.
    episodes: Counter[tuple[int, int]] = field(default_factory=Counter)
    #: (group or None for the hub, dimension, value) → downloads, and the
    #: different listeners behind them.
    downloads: Counter[tuple[int | None, str, str]] = field(default_factory=Counter)
    listeners: dict[tuple[int | None, str, str], set[int]] = field(
        default_factory=lambda: defaultdict(set)
    )
    #: (group or None, feed) → different listeners fetching it; announced
    #: subscribers by fetcher name (the largest count of the day).
    feed_listeners: dict[tuple[int | None, str], set[int]] = field(
        default_factory=lambda: defaultdict(set)
    )
    feed_announced: dict[tuple[int | None, str], dict[str, int]] = field(
        default_factory=lambda: defaultdict(dict)
    )


def is_listening(agent_kind: str, agent: str) -> bool:
    """Whether an event's client may be a person listening: its kind when it
    was recorded, and its name against the current bot list."""
    return agent_kind in _LISTENER_KINDS and not (agent and is_bot_name(agent))


def app_of(agent_kind: str, agent: str) -> str:
    """The app figure an event belongs to ("" for unknown apps)."""
    return BROWSER if agent_kind == AgentKind.BROWSER else agent


def count_audio(events: Iterable[AudioEvent], figures: Figures) -> None:
    """Count downloads: ``events`` sorted by episode and listener."""
    for (_episode, _listener), group in itertools.groupby(events, key=itemgetter(0, 2)):
        rows = list(group)
        first = rows[0]
        if not is_listening(first.agent_kind, first.agent):
            continue
        needed = max(r.needed for r in rows)
        if not is_download(((r.start, r.stop) for r in rows), needed):
            continue
        _add_download(figures, first)


def _add_download(figures: Figures, event: AudioEvent) -> None:
    app = app_of(event.agent_kind, event.agent)
    group, episode, listener = event.group_id, event.episode_id, event.listener
    figures.daily[(group, episode, app, event.category, event.country)] += 1
    figures.episodes[(group, episode)] += 1
    for scope in (group, None):
        for dimension, value in (
            ("total", ""),
            ("app", app),
            ("device", event.category),
            ("country", event.country),
        ):
            key = (scope, dimension, value)
            figures.downloads[key] += 1
            figures.listeners[key].add(listener)


def count_feeds(events: Iterable[FeedEvent], figures: Figures) -> None:
    """Count subscribers: different listeners per feed, plus the counts
    aggregators announce (each aggregator's largest of the day)."""
    for event in events:
        key = (event.group_id, event.feed)
        if event.subscribers and event.agent:
            announced = figures.feed_announced[key]
            announced[event.agent] = max(announced.get(event.agent, 0), event.subscribers)
        elif is_listening(event.agent_kind, event.agent):
            figures.feed_listeners[key].add(event.listener)


def count_day(audio: Iterable[AudioEvent], feeds: Iterable[FeedEvent] = ()) -> Figures:
    """Every figure of one day."""
    figures = Figures()
    count_audio(audio, figures)
    count_feeds(feeds, figures)
    return figures


def ages(day: dt.date, published: Mapping[int, dt.date | None]) -> dict[int, int | None]:
    """Each episode's age on ``day`` in days (0: published that day)."""
    result: dict[int, int | None] = {}
    for episode, first_day in published.items():
        age = (day - first_day).days if first_day else None
        result[episode] = age if age is not None and age >= 0 else None
    return result
