"""Public pages: hub home, group pages, episode and post pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from ..episodes.models import Episode
from ..extensions import db
from ..groups.models import Group, Visibility
from ..groups.policy import can_view_group
from ..groups.services import group_by_slug, visible_groups
from ..posts.models import Post
from ..review.policy import can_view_item
from ..review.workflow import ItemState
from ..web import viewer

bp = Blueprint("site", __name__)


def _group_or_404(slug: str) -> Group:
    group = group_by_slug(slug)
    if group is None or not can_view_group(viewer(), group):
        abort(404)
    return group


def _published(cls: Any, group: Group | None = None, limit: int = 20) -> list[Any]:
    stmt = select(cls).where(cls.status == ItemState.PUBLISHED)
    if group is not None:
        stmt = stmt.where(cls.group_id == group.id)
    else:
        stmt = stmt.join(Group).where(Group.visibility == Visibility.PUBLIC)
    return list(db.session.scalars(stmt.order_by(cls.published_at.desc()).limit(limit)))


@bp.route("/")
def home() -> Any:
    return render_template(
        "site/home.html",
        groups=visible_groups(None, listed_only=True),
        episodes=_published(Episode),
        posts=_published(Post),
    )


@bp.route("/groups/<slug>/")
def group_page(slug: str) -> Any:
    group = _group_or_404(slug)
    return render_template(
        "site/group.html",
        group=group,
        episodes=_published(Episode, group),
        posts=_published(Post, group),
        noindex=group.visibility != Visibility.PUBLIC,
    )


def _item_or_404(cls: Any, slug: str, item_id: int) -> Any:
    item = db.session.get(cls, item_id)
    if item is None or item.group.slug != slug or not can_view_item(viewer(), item):
        abort(404)
    return item


@bp.route("/groups/<slug>/episodes/<int:item_id>")
def episode_page(slug: str, item_id: int) -> Any:
    episode = _item_or_404(Episode, slug, item_id)
    return render_template(
        "site/episode.html",
        episode=episode,
        group=episode.group,
        noindex=not episode.is_public or episode.group.visibility != Visibility.PUBLIC,
    )


@bp.route("/groups/<slug>/posts/<int:item_id>")
def post_page(slug: str, item_id: int) -> Any:
    post = _item_or_404(Post, slug, item_id)
    return render_template(
        "site/post.html",
        post=post,
        group=post.group,
        noindex=not post.is_public or post.group.visibility != Visibility.PUBLIC,
    )
