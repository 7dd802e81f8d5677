"""Statistics tables: the day's secret, raw events (kept ``STATS_RAW_DAYS``) and
daily rollups (kept forever). None of them holds an address or a user agent.

Rollups are rewritten a whole day at a time by :mod:`mediahub.stats.rollup`;
pages and the API read only them.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column

from mediahub.core.extensions import Model

#: SQLite gives an INTEGER PRIMARY KEY the rowid (fast inserts, no extra index).
BigId = BigInteger().with_variant(Integer(), "sqlite")


class StatsDaySecret(Model):
    """The secret listener keys of one day are made with, sealed (see
    :mod:`mediahub.stats.listeners`); deleted soon after the day is over."""

    __tablename__ = "stats_day_secrets"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary(80))


#: The secrets' table as a Core table (listeners.DaySecrets works on it directly).
DAY_SECRETS = cast("Table", StatsDaySecret.__table__)


class StatsEvent(Model):
    """One request for an episode's audio or for a feed, as far as it is kept:
    no address, no user agent, no time of day."""

    __tablename__ = "stats_events"
    __table_args__ = (Index("ix_stats_events_rollup", "day", "kind", "episode_id", "listener"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)  # the hub's day (its time zone)
    kind: Mapped[str] = mapped_column(String(8))  # "audio" or "feed"
    # No foreign keys: raw events are written in batches off the request's
    # path and outlive nothing (a deleted group's events are never rolled up).
    group_id: Mapped[int | None] = mapped_column(Integer)  # None: the hub's feeds
    episode_id: Mapped[int | None] = mapped_column(Integer)
    feed: Mapped[str | None] = mapped_column(String(8))  # "podcast" or "blog"
    listener: Mapped[int] = mapped_column(BigInteger)  # keyed hash, see listeners.py
    agent_kind: Mapped[str] = mapped_column(String(8))  # agents.AgentKind
    agent: Mapped[str] = mapped_column(String(60), default="")  # OPAWG entry name
    device: Mapped[str] = mapped_column(String(30), default="")  # OPAWG device name
    category: Mapped[str] = mapped_column(String(16), default="")  # device category
    country: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166 code, "" unknown
    start: Mapped[int] = mapped_column(BigInteger, default=0)  # bytes asked for
    stop: Mapped[int] = mapped_column(BigInteger, default=0)
    needed: Mapped[int] = mapped_column(BigInteger, default=0)  # bytes that make a download
    subscribers: Mapped[int | None] = mapped_column(Integer)  # announced by a feed fetcher


class StatsDaily(Model):
    """Downloads of one episode on one day, by app, device category and country."""

    __tablename__ = "stats_daily"
    __table_args__ = (
        Index("ix_stats_daily_episode", "episode_id", "day"),
        Index("ix_stats_daily_group", "group_id", "day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    app: Mapped[str] = mapped_column(String(60), default="")
    device: Mapped[str] = mapped_column(String(16), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    # One per listener: also the number of different listeners in the cell.
    downloads: Mapped[int] = mapped_column(Integer)


class StatsEpisodeDay(Model):
    """Downloads (= different listeners) of one episode on one day, with the
    episode's age that day (0: the day it was published)."""

    __tablename__ = "stats_episode_days"
    __table_args__ = (
        Index("ix_stats_episode_days_group", "group_id", "day", "episode_id", "downloads"),
        Index("ix_stats_episode_days_age", "group_id", "age", "episode_id", "downloads"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episodes.id", ondelete="CASCADE"), index=True
    )
    age: Mapped[int | None] = mapped_column(Integer)
    downloads: Mapped[int] = mapped_column(Integer)


class StatsGroupDay(Model):
    """A group's (``group_id`` None: the whole hub's) downloads on one day, in
    total and by app, device category and country, with the number of
    different listeners behind each figure."""

    __tablename__ = "stats_group_days"
    __table_args__ = (Index("ix_stats_group_days_scope", "group_id", "dimension", "day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(8))  # total, app, device, country
    value: Mapped[str] = mapped_column(String(60), default="")
    downloads: Mapped[int] = mapped_column(Integer)
    listeners: Mapped[int] = mapped_column(Integer)


class StatsFeedDay(Model):
    """Fetches of one feed on one day: the estimate of its subscribers."""

    __tablename__ = "stats_feed_days"
    __table_args__ = (Index("ix_stats_feed_days_scope", "group_id", "day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    feed: Mapped[str] = mapped_column(String(8))  # podcast, blog
    # Different listeners (apps, browsers) that fetched the feed that day.
    listeners: Mapped[int] = mapped_column(Integer)
    # Subscribers announced by aggregators (Feedly, Overcast…): the largest
    # count of each that day, added up.
    announced: Mapped[int] = mapped_column(Integer)


class StatsRollupState(Model):
    """How far the rollup has read raw events (one row)."""

    __tablename__ = "stats_rollup_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
