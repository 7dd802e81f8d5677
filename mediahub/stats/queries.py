"""Reading the rollups: the figures pages, CSV files and the API show.

Everything here reads the daily rollup tables only (never raw events) and
returns :class:`~mediahub.stats.protection.Figure` tables, already
protected: the callers cannot show a small number by mistake.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select

from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.groups.models import Group
from mediahub.stats.models import StatsDaily, StatsEpisodeDay, StatsFeedDay, StatsGroupDay
from mediahub.stats.protection import Figure, coarser, figure, protect, total

#: The first days of an episode that are compared with the group's average.
LAUNCH_DAYS = (7, 30, 90)
#: Episodes listed with their first days (the newest ones).
LAUNCH_EPISODES = 20


@dataclass(frozen=True, slots=True)
class Period:
    """Days from ``start`` to ``end``, both included, in the hub's time zone."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> list[dt.date]:
        n = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=i) for i in range(n)]


@dataclass(frozen=True, slots=True)
class EpisodeRef:
    id: int
    title: str
    published_on: dt.date | None


@dataclass(frozen=True, slots=True)
class GroupRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Subscribers:
    """One day's estimate for a feed: different listeners fetching it plus
    what aggregators announce."""

    day: dt.date
    estimate: Figure[dt.date]
    listeners: int
    announced: int


@dataclass(frozen=True, slots=True)
class Launch:
    """An episode's downloads in its first 7, 30 and 90 days (None: too young)."""

    episode: EpisodeRef | None  # None: the group's average
    first: dict[int, Figure[int] | None]


@dataclass
class Report:
    """Every table of a statistics page (or API answer)."""

    period: Period
    total: Figure[str]
    by_day: list[Figure[dt.date]]
    by_app: list[Figure[str]]
    by_device: list[Figure[str]]
    by_country: list[Figure[str]]
    by_episode: list[Figure[EpisodeRef]] = field(default_factory=list)
    by_group: list[Figure[GroupRef]] = field(default_factory=list)
    subscribers: list[Subscribers] = field(default_factory=list)
    launch: list[Launch] = field(default_factory=list)
    curve: list[tuple[int, Figure[int]]] = field(default_factory=list)
    #: Whose figures: a Group, or None for the whole hub.
    group: Any = None
    #: The time zone the days are the hub's days in.
    zone: str = ""

    @property
    def by_week(self) -> list[Figure[dt.date]]:
        return coarser(self.by_day, lambda d: d - dt.timedelta(days=d.weekday()))

    @property
    def by_month(self) -> list[Figure[dt.date]]:
        return coarser(self.by_day, lambda d: d.replace(day=1))


def _order(fig: Figure[Any], name: str) -> tuple[int, str]:
    """Largest shown figure first; withheld ones after them by name (their
    order must not tell which of them is larger)."""
    return (-(fig.shown or 0), name)


def _scope(column: Any, group_id: int | None) -> Any:
    return column.is_(None) if group_id is None else column == group_id


def _days(group_id: int | None, period: Period) -> list[Figure[dt.date]]:
    rows = db.session.execute(
        select(StatsGroupDay.day, StatsGroupDay.downloads, StatsGroupDay.listeners).where(
            _scope(StatsGroupDay.group_id, group_id),
            StatsGroupDay.dimension == "total",
            StatsGroupDay.day.between(period.start, period.end),
        )
    )
    found = {day: (downloads, listeners) for day, downloads, listeners in rows}
    return protect(figure(day, *found.get(day, (0, 0))) for day in period.days)


def _breakdown(group_id: int | None, dimension: str, period: Period) -> list[Figure[str]]:
    rows = db.session.execute(
        select(
            StatsGroupDay.value,
            func.sum(StatsGroupDay.downloads),
            func.max(StatsGroupDay.listeners),
        )
        .where(
            _scope(StatsGroupDay.group_id, group_id),
            StatsGroupDay.dimension == dimension,
            StatsGroupDay.day.between(period.start, period.end),
        )
        .group_by(StatsGroupDay.value)
    )
    table = protect(figure(value, int(n), int(best)) for value, n, best in rows)
    return sorted(table, key=lambda f: _order(f, f.key))


def _episodes(group_id: int, period: Period) -> list[Figure[EpisodeRef]]:
    rows = db.session.execute(
        select(
            StatsEpisodeDay.episode_id,
            func.sum(StatsEpisodeDay.downloads),
            func.max(StatsEpisodeDay.downloads),
        )
        .where(
            StatsEpisodeDay.group_id == group_id,
            StatsEpisodeDay.day.between(period.start, period.end),
        )
        .group_by(StatsEpisodeDay.episode_id)
    )
    counts = {episode_id: (int(n), int(best)) for episode_id, n, best in rows}
    refs = _episode_refs(counts)
    table = protect(figure(refs[i], *counts[i]) for i in counts if i in refs)
    return sorted(table, key=lambda f: _order(f, f.key.title))


def _episode_refs(ids: Any) -> dict[int, EpisodeRef]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Episode.id, Episode.title, Episode.published_at).where(Episode.id.in_(list(ids)))
    )
    return {
        i: EpisodeRef(i, title, published.date() if published else None)
        for i, title, published in rows
    }


def _groups(period: Period) -> list[Figure[GroupRef]]:
    rows = db.session.execute(
        select(
            Group.id,
            Group.slug,
            Group.name,
            func.sum(StatsGroupDay.downloads),
            func.max(StatsGroupDay.listeners),
        )
        .join(Group, Group.id == StatsGroupDay.group_id)
        .where(
            StatsGroupDay.dimension == "total",
            StatsGroupDay.day.between(period.start, period.end),
        )
        .group_by(Group.id, Group.slug, Group.name)
    )
    table = protect(
        figure(GroupRef(g, slug, name), int(n), int(best)) for g, slug, name, n, best in rows
    )
    return sorted(table, key=lambda f: _order(f, f.key.name))


def _subscribers(group_id: int | None, period: Period) -> list[Subscribers]:
    rows = db.session.execute(
        select(StatsFeedDay.day, StatsFeedDay.listeners, StatsFeedDay.announced).where(
            _scope(StatsFeedDay.group_id, group_id),
            StatsFeedDay.feed == "podcast",
            StatsFeedDay.day.between(period.start, period.end),
        )
    )
    found = {day: (listeners, announced) for day, listeners, announced in rows}
    estimates = protect(
        figure(day, sum(found.get(day, (0, 0))), sum(found.get(day, (0, 0)))) for day in period.days
    )
    return [Subscribers(f.key, f, *found.get(f.key, (0, 0))) for f in estimates]


def scope_report(group: Group | None, period: Period, zone: dt.tzinfo) -> Report:
    """The figures of a group (or, for None, of the whole hub)."""
    group_id = group.id if group is not None else None
    by_day = _days(group_id, period)
    report = Report(
        period=period,
        total=total(by_day, "total"),
        by_day=by_day,
        by_app=_breakdown(group_id, "app", period),
        by_device=_breakdown(group_id, "device", period),
        by_country=_breakdown(group_id, "country", period),
        subscribers=_subscribers(group_id, period),
        group=group,
        zone=str(zone),
    )
    if group is None:
        report.by_group = _groups(period)
    else:
        report.by_episode = _episodes(group.id, period)
        report.launch, report.curve = launch(group.id, today=period.end, zone=zone)
    return report


def episode_report(episode: Episode, period: Period, zone: dt.tzinfo) -> Report:
    """The figures of one episode."""
    rows = db.session.execute(
        select(StatsEpisodeDay.day, StatsEpisodeDay.downloads).where(
            StatsEpisodeDay.episode_id == episode.id,
            StatsEpisodeDay.day.between(period.start, period.end),
        )
    )
    found = {day: n for day, n in rows}
    # On one day of one episode, downloads are different listeners.
    by_day = protect(figure(day, found.get(day, 0), found.get(day, 0)) for day in period.days)
    return Report(
        period=period,
        total=total(by_day, "total"),
        by_day=by_day,
        by_app=_episode_breakdown(episode.id, StatsDaily.app, period),
        by_device=_episode_breakdown(episode.id, StatsDaily.device, period),
        by_country=_episode_breakdown(episode.id, StatsDaily.country, period),
        group=episode.group,
        zone=str(zone),
    )


def _episode_breakdown(episode_id: int, column: Any, period: Period) -> list[Figure[str]]:
    per_day = (
        select(column.label("value"), func.sum(StatsDaily.downloads).label("n"))
        .where(
            StatsDaily.episode_id == episode_id,
            StatsDaily.day.between(period.start, period.end),
        )
        .group_by(column, StatsDaily.day)
        .subquery()
    )
    rows = db.session.execute(
        select(per_day.c.value, func.sum(per_day.c.n), func.max(per_day.c.n)).group_by(
            per_day.c.value
        )
    )
    table = protect(figure(value, int(n), int(best)) for value, n, best in rows)
    return sorted(table, key=lambda f: _order(f, f.key))


def launch(
    group_id: int, today: dt.date, zone: dt.tzinfo
) -> tuple[list[Launch], list[tuple[int, Figure[int]]]]:
    """The newest episodes' first 7/30/90 days next to the group's average, and
    the group's average curve (cumulative downloads by day since publication)."""
    longest = max(LAUNCH_DAYS)
    windows = []
    for days in LAUNCH_DAYS:
        inside = StatsEpisodeDay.age < days
        windows += [
            func.sum(case((inside, StatsEpisodeDay.downloads), else_=0)),
            func.max(case((inside, StatsEpisodeDay.downloads), else_=0)),
        ]
    rows = db.session.execute(
        select(StatsEpisodeDay.episode_id, *windows)
        .where(StatsEpisodeDay.group_id == group_id, StatsEpisodeDay.age < longest)
        .group_by(StatsEpisodeDay.episode_id)
    ).all()
    firsts = {
        row[0]: [(int(row[1 + 2 * i]), int(row[2 + 2 * i])) for i in range(len(LAUNCH_DAYS))]
        for row in rows
    }
    published = dict(
        db.session.execute(
            select(Episode.id, Episode.published_at)
            .where(Episode.group_id == group_id, Episode.published_at.is_not(None))
            .order_by(Episode.published_at.desc())
        ).all()
    )
    age_of = {
        i: (today - when.astimezone(zone).date()).days
        for i, when in published.items()
        if when is not None
    }
    rows_out = [_average(firsts, age_of)]
    refs = _episode_refs(list(published)[:LAUNCH_EPISODES])
    for episode_id in list(published)[:LAUNCH_EPISODES]:
        counts = firsts.get(episode_id, [(0, 0)] * 3)
        rows_out.append(
            Launch(
                refs[episode_id],
                {
                    days: figure(days, *counts[i]) if age_of[episode_id] >= days else None
                    for i, days in enumerate(LAUNCH_DAYS)
                },
            )
        )
    return rows_out, _curve(group_id, age_of)


def _average(firsts: dict[int, list[tuple[int, int]]], age_of: dict[int, int]) -> Launch:
    first: dict[int, Figure[int] | None] = {}
    for i, days in enumerate(LAUNCH_DAYS):
        old_enough = [e for e, age in age_of.items() if age >= days]
        if not old_enough:
            first[days] = None
            continue
        counts = [firsts.get(e, [(0, 0)] * 3)[i] for e in old_enough]
        mean = round(sum(n for n, _ in counts) / len(old_enough))
        first[days] = figure(days, mean, max(best for _, best in counts))
    return Launch(None, first)


def _curve(group_id: int, age_of: dict[int, int]) -> list[tuple[int, Figure[int]]]:
    rows = db.session.execute(
        select(
            StatsEpisodeDay.age,
            func.sum(StatsEpisodeDay.downloads),
            func.max(StatsEpisodeDay.downloads),
        )
        .where(StatsEpisodeDay.group_id == group_id, StatsEpisodeDay.age < max(LAUNCH_DAYS))
        .group_by(StatsEpisodeDay.age)
    )
    by_age = {age: (int(n), int(best)) for age, n, best in rows}
    ages = sorted(age_of.values())
    curve, running, best = [], 0.0, 0
    for age in range(max(LAUNCH_DAYS)):
        old_enough = len(ages) - bisect.bisect_left(ages, age)  # episodes with a >= age
        if not old_enough:
            break
        n, day_best = by_age.get(age, (0, 0))
        running += n / old_enough
        best = max(best, day_best)
        curve.append((age + 1, figure(age + 1, round(running), best)))
    return curve
