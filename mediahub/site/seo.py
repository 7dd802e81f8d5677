"""For search engines: sitemap.xml (public groups and their published items
only) and robots.txt."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template
from sqlalchemy import func, select

from ..episodes.models import Episode
from ..extensions import db
from ..groups.models import Group, Visibility
from ..posts.models import Post
from ..review.workflow import ItemState
from ..urls import absolute_url
from .blueprint import bp

#: The sitemap protocol's limit for one file; the newest items win.
SITEMAP_MAX_URLS = 50_000

# Areas for people with an account, the API and secret listener addresses.
ROBOTS_DISALLOW = (
    "/api/",
    "/admin/",
    "/review",
    "/my",
    "/account/",
    "/login",
    "/embed/",
    "/media/private/",
    "/feeds/*/private/",
)


def _entries() -> list[tuple[str, Any]]:
    """(absolute URL, last modified) of every page worth indexing."""
    entries: list[tuple[str, Any]] = [
        (absolute_url("site.home"), None),
        (absolute_url("site.impressum"), None),
        (absolute_url("site.privacy"), None),
    ]
    groups = db.session.execute(
        select(Group.slug, Group.updated_at)
        .where(Group.visibility == Visibility.PUBLIC)
        .order_by(Group.name, Group.id)
    ).all()
    entries += [(absolute_url("site.group_page", slug=s), u) for s, u in groups]
    for cls, endpoint in ((Episode, "site.episode_page"), (Post, "site.post_page")):
        room = SITEMAP_MAX_URLS - len(entries)
        if room <= 0:
            break
        rows = db.session.execute(
            select(Group.slug, cls.id, func.coalesce(cls.updated_at, cls.published_at))
            .join(Group, cls.group_id == Group.id)
            .where(cls.status == ItemState.PUBLISHED, Group.visibility == Visibility.PUBLIC)
            .order_by(cls.published_at.desc(), cls.id.desc())
            .limit(room)
        ).all()
        entries += [(absolute_url(endpoint, slug=s, item_id=i), u) for s, i, u in rows]
    return entries


@bp.route("/sitemap.xml")
def sitemap() -> Any:
    xml = render_template("site/sitemap.xml", entries=_entries())
    return Response(xml, mimetype="application/xml", headers={"Cache-Control": "max-age=3600"})


@bp.route("/robots.txt")
def robots() -> Any:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {absolute_url('site.sitemap')}", ""]
    return Response(
        "\n".join(lines), mimetype="text/plain", headers={"Cache-Control": "max-age=86400"}
    )
