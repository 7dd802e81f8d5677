"""Loading what a feed shows: one query per feed, everything eager.

A long-running podcast has hundreds of episodes; a rebuild must not issue a
query per item.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, defer, joinedload, selectinload

from ..episodes.models import Episode
from ..extensions import db
from ..groups.models import Group, Visibility
from ..media.models import MediaAsset
from ..posts.models import Post
from ..review.workflow import ItemState

#: The hub's feeds show this many of the newest items.
HUB_FEED_SIZE = 100


def feed_episodes(group: Group | None, limit: int | None = None) -> list[Any]:
    """Published episodes with an MP3 to serve, newest first: a group's (all of
    them, the whole back catalogue) or, with ``group=None``, those of every
    public group.

    An episode needs ready audio to be approved; while its MP3 is processed
    again (an edited title goes into the tags) the previous one stays online,
    and so does the episode in the feed.
    """
    stmt = (
        select(Episode)
        .join(Episode.audio)
        .where(
            Episode.status == ItemState.PUBLISHED,
            Episode.published_at.is_not(None),
            MediaAsset.rendition_key.is_not(None),
            MediaAsset.rendition_size.is_not(None),
        )
        .options(
            contains_eager(Episode.audio),
            joinedload(Episode.image),
            # A handful of authors for hundreds of episodes: one IN query
            # instead of their columns on every row.
            selectinload(Episode.author),
            # has_transcript says whether there is one; the text is not needed.
            defer(Episode.transcript_vtt),
        )
        .order_by(Episode.published_at.desc(), Episode.id.desc())
    )
    if group is not None:
        # The group is in the session: each episode.group comes from the
        # identity map, not from a join repeated on every row.
        stmt = stmt.where(Episode.group_id == group.id)
    else:
        stmt = (
            stmt.join(Episode.group)
            .where(Group.visibility == Visibility.PUBLIC)
            .options(contains_eager(Episode.group).joinedload(Group.cover))
        )
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt).unique())


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
    return stmt.where(Group.visibility == Visibility.PUBLIC)
