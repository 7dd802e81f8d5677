"""What the public pages show, in a fixed, small number of queries.

Everything a template touches is loaded eagerly here (the group of an item,
its audio and picture, the group's cover), so no page issues a query per row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from mediahub.core.extensions import db
from mediahub.core.search import all_words_in
from mediahub.episodes.models import Episode
from mediahub.groups.categories import CATEGORIES
from mediahub.groups.listing import listed_for
from mediahub.groups.models import Group, Visibility
from mediahub.review.workflow import ItemState
from mediahub.transcripts import search
from mediahub.web.paging import Page, count_of, paginate

GROUPS_PER_PAGE = 24
ITEMS_PER_PAGE = 20
LATEST = 8
#: Up to this many matches, a search's groups are found first, then sorted.
FILTER_FIRST_BELOW = 5_000


def clean_topic(topic: str | None) -> str | None:
    """A known topic, or None (an unknown one is ignored, not an error)."""
    return topic if topic in CATEGORIES else None


def directory(topic: str | None, text: str) -> Page:
    """Public groups (never unlisted or private), by name, filtered by topic
    and by words in the name or description."""
    stmt = select(Group).where(listed_for(None))
    if topic:
        stmt = stmt.where(Group.category == topic)
    if not text:
        stmt = stmt.order_by(Group.name, Group.id)  # read in the order index's order
        return paginate(stmt, GROUPS_PER_PAGE, options=(selectinload(Group.cover),))
    stmt = stmt.where(all_words_in((Group.name, Group.description), text))
    total = count_of(stmt)
    # PostgreSQL may walk the name order's index and test every group until a
    # page is full: fast when many groups match, 100 ms when the few matches
    # sort late (bench/bench_national.py: "Trauer Hamburg"). When they are few,
    # sort by an expression no index has, so the matches are found first (by
    # the trigram indexes) and then sorted.
    name = Group.name if total > FILTER_FIRST_BELOW else Group.name + ""
    stmt = stmt.order_by(name, Group.id)
    return paginate(stmt, GROUPS_PER_PAGE, options=(selectinload(Group.cover),), total=total)


def episodes_saying(text: str, limit: int = ITEMS_PER_PAGE) -> list[Episode]:
    """Published episodes of public groups whose title, show notes or public
    transcript contain every word of ``text`` (full-text index, newest first)."""
    words = search.words_of(text)
    if not words:
        return []
    stmt = _published(Episode).join(Group, Episode.group_id == Group.id)
    stmt = stmt.where(listed_for(None), search.matching(db.engine.dialect.name, words))
    stmt = _newest(Episode, stmt).options(*_list_options(Episode)).limit(limit)
    return list(db.session.scalars(stmt))


def _published(cls: Any) -> Select:
    return select(cls).where(cls.status == ItemState.PUBLISHED)


def _newest(cls: Any, stmt: Select) -> Select:
    return stmt.order_by(cls.published_at.desc(), cls.id.desc())


def _list_options(cls: Any) -> tuple:
    if cls is not Episode:
        return (joinedload(cls.group),)
    # Episode rows show the artwork: the episode's picture, else the group's cover.
    return (
        joinedload(Episode.group).selectinload(Group.cover),
        selectinload(Episode.audio),
        selectinload(Episode.image),
    )


def latest(cls: Any, limit: int = LATEST) -> list[Any]:
    """The newest published items of public groups, for the hub's start page."""
    stmt = _published(cls).join(Group, cls.group_id == Group.id)
    stmt = _newest(cls, stmt.where(listed_for(None)))
    return list(db.session.scalars(stmt.options(*_list_options(cls)).limit(limit)))


def group_items(cls: Any, group: Group, param: str) -> Page:
    """One page of a group's published items, newest first."""
    stmt = _newest(cls, _published(cls).where(cls.group_id == group.id))
    return paginate(stmt, ITEMS_PER_PAGE, param, options=_list_options(cls))


def group_with_cover(slug: str) -> Group | None:
    return db.session.scalar(
        select(Group).where(Group.slug == slug).options(selectinload(Group.cover))
    )


def item_for_page(cls: Any, item_id: int) -> Any:
    """An episode or post with everything its page shows, or None."""
    options = [
        joinedload(cls.group).selectinload(Group.cover),
        selectinload(cls.author),
    ]
    if cls is Episode:
        options += [selectinload(Episode.audio), selectinload(Episode.image)]
    return db.session.scalar(select(cls).where(cls.id == item_id).options(*options))


def published_episode(guid: str) -> Episode | None:
    """A published episode of a public or unlisted group (for the embed player)."""
    return db.session.scalar(
        select(Episode)
        .join(Group, Episode.group_id == Group.id)
        .where(
            Episode.guid == guid,
            Episode.status == ItemState.PUBLISHED,
            Group.visibility != Visibility.PRIVATE,
        )
        .options(joinedload(Episode.group).selectinload(Group.cover), selectinload(Episode.audio))
    )
