"""Loading what a feed shows: one query per feed, everything eager.

A long-running podcast has hundreds of episodes; a rebuild must not issue a
query per item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from mediahub.accounts.models import User
from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.groups.listing import listed_for
from mediahub.groups.models import Group
from mediahub.media.models import MediaAsset
from mediahub.posts.models import Post
from mediahub.review.workflow import ItemState

#: The hub's feeds show this many of the newest items.
HUB_FEED_SIZE = 100


@dataclass(frozen=True, slots=True)
class FeedAudio:
    rendition_size: int
    duration_s: float | None
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class FeedImage:
    id: int
    rendition_key: str


@dataclass(frozen=True, slots=True)
class FeedEpisode:
    """What a feed shows of an episode, with the attribute names of
    :class:`~mediahub.episodes.models.Episode`, so the builder takes either."""

    id: int
    guid: str
    title: str
    description: str
    content_note: str
    episode_type: Any
    season: int | None
    number: int | None
    is_explicit: bool
    chapters: list | None
    has_transcript: bool
    published_at: dt.datetime
    updated_at: dt.datetime
    audio: FeedAudio
    image: FeedImage | None
    group: Group
    author: User | None


_EPISODE_COLUMNS = (
    Episode.id,
    Episode.guid,
    Episode.title,
    Episode.description,
    Episode.content_note,
    Episode.episode_type,
    Episode.season,
    Episode.number,
    Episode.is_explicit,
    Episode.chapters,
    Episode.published_at,
    Episode.updated_at,
)


def _published_episode_rows() -> Select[Any]:
    image = aliased(MediaAsset)
    return (
        select(
            *_EPISODE_COLUMNS,
            Episode.group_id,
            Episode.author_id,
            Episode.transcript_vtt.is_not(None).label("has_transcript"),
            MediaAsset.rendition_size,
            MediaAsset.duration_s,
            MediaAsset.updated_at.label("audio_updated_at"),
            image.id.label("image_id"),
            image.rendition_key.label("image_key"),
        )
        .join(MediaAsset, Episode.audio_asset_id == MediaAsset.id)
        .outerjoin(image, Episode.image_asset_id == image.id)
        .where(
            Episode.status == ItemState.PUBLISHED,
            Episode.published_at.is_not(None),
            MediaAsset.rendition_key.is_not(None),
            MediaAsset.rendition_size.is_not(None),
        )
        .order_by(Episode.published_at.desc(), Episode.id.desc())
    )


def feed_episodes(group: Group | None, limit: int | None = None) -> list[FeedEpisode]:
    """Published episodes with an MP3 to serve, newest first: a group's (all of
    them, the whole back catalogue) or, with ``group=None``, those of every
    public group.

    An episode needs ready audio to be approved; while its MP3 is processed
    again (an edited title goes into the tags) the previous one stays online,
    and so does the episode in the feed.

    Three statements whatever the number of episodes: the rows (plain
    columns, not ORM objects: a rebuild of 500 episodes spent most of its
    time building and refreshing those), their authors, and (hub feed) their
    groups with covers.
    """
    stmt = _published_episode_rows()
    if group is not None:
        stmt = stmt.where(Episode.group_id == group.id)
    else:
        stmt = stmt.join(Group, Episode.group_id == Group.id).where(listed_for(None))
    if limit:
        stmt = stmt.limit(limit)
    rows = db.session.execute(stmt).all()
    if group is not None:
        groups = {group.id: group}
    else:
        groups = _by_id(Group, {r.group_id for r in rows}, joinedload(Group.cover))
    authors = _by_id(User, {r.author_id for r in rows if r.author_id is not None})
    names = [c.key for c in _EPISODE_COLUMNS]
    return [
        FeedEpisode(
            **{name: getattr(r, name) for name in names},
            has_transcript=bool(r.has_transcript),
            audio=FeedAudio(r.rendition_size, r.duration_s, r.audio_updated_at),
            image=FeedImage(r.image_id, r.image_key) if r.image_key else None,
            group=groups[r.group_id],
            author=authors.get(r.author_id),
        )
        for r in rows
    ]


def _by_id(cls: Any, ids: set[int], *options: Any) -> dict[int, Any]:
    if not ids:
        return {}
    found = db.session.scalars(select(cls).where(cls.id.in_(ids)).options(*options))
    return {obj.id: obj for obj in found}


def feed_posts(group: Group | None, limit: int | None = None) -> list[Any]:
    """Published posts, newest first (a group's, or all public groups')."""
    stmt = (
        select(Post)
        .join(Post.group)
        .where(Post.status == ItemState.PUBLISHED, Post.published_at.is_not(None))
        .options(
            contains_eager(Post.group).joinedload(Group.cover),
            joinedload(Post.author),
        )
        .order_by(Post.published_at.desc(), Post.id.desc())
    )
    stmt = _scope(stmt, Post, group)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt).unique())


def _scope(stmt: Any, cls: Any, group: Group | None) -> Any:
    if group is not None:
        return stmt.where(cls.group_id == group.id)
    return stmt.where(listed_for(None))
