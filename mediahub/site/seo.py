"""For search engines: the sitemap (public groups and their published items
only) and robots.txt.

A sitemap file may list ``SITEMAP_MAX_URLS`` URLs. While the whole hub fits,
/sitemap.xml is that one file. Beyond, /sitemap.xml is a sitemap index of
numbered files per section: /sitemap-hub-1.xml (start page, Impressum,
privacy), /sitemap-groups-N.xml, /sitemap-episodes-N.xml and
/sitemap-posts-N.xml. File N of a section holds the rows whose id lies in
((N-1)·max, N·max], so a page's file depends on its id alone: new items land
in the last file, an unpublished or deleted one leaves a gap and moves
nothing, and a search engine only refetches the files whose ``lastmod``
changed. Files without a public row are left out of the index and are 404.
"""

from __future__ import annotations

import math
import time
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from flask import Response, abort, current_app, render_template
from sqlalchemy import func, select

from mediahub.core.extensions import db
from mediahub.core.urls import UrlFor, absolute_url, make_url_for
from mediahub.episodes.models import Episode
from mediahub.groups.listing import listed_for
from mediahub.groups.models import Group
from mediahub.posts.models import Post
from mediahub.review.workflow import ItemState
from mediahub.site.blueprint import bp

#: URLs in one sitemap file (tests patch it small). The protocol allows
#: 50,000; a file is built per request, and 5,000 keep that within a few tens
#: of milliseconds (bench/bench_national.py), while 4,000,000 episodes still
#: make an index of some 800 files (an index may name 50,000).
SITEMAP_MAX_URLS = 5_000
#: The sitemap protocol's namespace.
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

#: The hub's own pages, in the hub section; their position is their "id".
HUB_PAGES = ("site.home", "site.impressum", "site.privacy")

#: The sections after the hub's own pages, in index order: model, page endpoint.
SECTIONS: dict[str, tuple[Any, str]] = {
    "groups": (Group, "site.group_page"),
    "episodes": (Episode, "site.episode_page"),
    "posts": (Post, "site.post_page"),
}

# Ids are INTEGER columns; a file number beyond them is not asked of the database.
_ID_MAX = 2**31 - 1

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


def _rows(kind: str) -> tuple[Any, Any]:
    """(id, group slug, last modified) of a section's public pages, and its id column."""
    cls = SECTIONS[kind][0]
    if cls is Group:
        stmt = select(Group.id, Group.slug, Group.updated_at.label("lastmod"))
        return stmt.where(listed_for(None)), Group.id
    stmt = (
        select(cls.id, Group.slug, func.coalesce(cls.updated_at, cls.published_at).label("lastmod"))
        .join(Group, cls.group_id == Group.id)
        .where(cls.status == ItemState.PUBLISHED, listed_for(None))
    )
    return stmt, cls.id


class _Urls:
    """The page URLs of one section, for thousands of rows: an item's URL is
    its group's part, its id, and the rest, so each group's parts are built
    once (a tenth of the cost of building every URL)."""

    _MARK = 987654321

    def __init__(self, kind: str) -> None:
        self.cls, self.endpoint = SECTIONS[kind]
        self.url_for: UrlFor = make_url_for()
        self.parts: dict[str, tuple[str, str]] = {}

    def __call__(self, row_id: int, slug: str) -> str:
        if self.cls is Group:
            return self.url_for(self.endpoint, slug=slug)
        parts = self.parts.get(slug)
        if parts is None:
            url = self.url_for(self.endpoint, slug=slug, item_id=self._MARK)
            head, _mark, tail = url.rpartition(str(self._MARK))
            parts = self.parts[slug] = (head, tail)
        return f"{parts[0]}{row_id}{parts[1]}"


def _entries(kind: str, number: int | None = None) -> list[tuple[str, Any]]:
    """(absolute URL, last modified) of a section's pages: all of them, or
    those of sitemap file ``number``; ordered by id."""
    limit = SITEMAP_MAX_URLS
    if kind == "hub":
        pages = HUB_PAGES if number is None else HUB_PAGES[(number - 1) * limit : number * limit]
        return [(absolute_url(endpoint), None) for endpoint in pages]
    cls = SECTIONS[kind][0]
    rows: list[tuple[int, str, Any]]
    if cls is Group:
        stmt, id_column = _rows(kind)
        if number is not None:
            stmt = stmt.where(id_column.between((number - 1) * limit + 1, number * limit))
        rows = [tuple(row) for row in db.session.execute(stmt.order_by(id_column))]
    else:
        rows = _items(cls, number)
    url = _Urls(kind)
    return [(url(row_id, slug), lastmod) for row_id, slug, lastmod in rows]


def _items(cls: Any, number: int | None) -> list[tuple[int, str, Any]]:
    """(id, group slug, last modified) of the published items in file ``number``
    (all: None) whose group is listed. Two queries — the items by id range,
    then their groups by id — so a file costs its own rows, never a pass
    over every group (a join made PostgreSQL hash all 100,000 of them)."""
    limit = SITEMAP_MAX_URLS
    stmt = select(cls.id, cls.group_id, func.coalesce(cls.updated_at, cls.published_at))
    stmt = stmt.where(cls.status == ItemState.PUBLISHED)
    if number is not None:
        stmt = stmt.where(cls.id.between((number - 1) * limit + 1, number * limit))
    items = db.session.execute(stmt.order_by(cls.id)).all()
    wanted = {group_id for _id, group_id, _lastmod in items}
    slugs = dict(
        db.session.execute(
            select(Group.id, Group.slug).where(Group.id.in_(wanted), listed_for(None))
        ).all()
    ) if wanted else {}  # fmt: skip
    return [(i, slugs[g], lastmod) for i, g, lastmod in items if g in slugs]


def _files() -> list[tuple[str, int, int, Any]]:
    """(section, file number, URLs, last modified) of every sitemap file that
    has a page, in index order: counted at most once per
    ``SITEMAP_INDEX_MAX_AGE`` seconds in each process (it names files, never
    a page, so a count a few minutes old shows nothing that has gone)."""
    max_age = current_app.config["SITEMAP_INDEX_MAX_AGE"]
    cache = current_app.extensions.setdefault("mediahub.sitemap_files", {})
    now = time.monotonic()
    found = cache.get(SITEMAP_MAX_URLS)
    if max_age and found is not None and now - found[0] < max_age:
        return list(found[1])
    files = _count_files()
    cache[SITEMAP_MAX_URLS] = (now, tuple(files))
    return files


def _count_files() -> list[tuple[str, int, int, Any]]:
    """:func:`_files` as the database says now: one query per section."""
    limit = SITEMAP_MAX_URLS
    files = [
        ("hub", n, len(HUB_PAGES[(n - 1) * limit : n * limit]), None)
        for n in range(1, math.ceil(len(HUB_PAGES) / limit) + 1)
    ]
    for kind in SECTIONS:
        rows = _rows(kind)[0].subquery()
        number = (rows.c.id - 1) // limit + 1
        stats = db.session.execute(
            select(number, func.count(), func.max(rows.c.lastmod)).group_by(number).order_by(number)
        ).all()
        files += [(kind, n, count, lastmod) for n, count, lastmod in stats]
    return files


def _xml(template: str, **context: Any) -> Response:
    return _answer(render_template(template, **context))


def _answer(body: str) -> Response:
    return Response(body, mimetype="application/xml", headers={"Cache-Control": "max-age=3600"})


def _urlset(entries: list[tuple[str, Any]]) -> Response:
    """A sitemap file. Built as plain text: thousands of lines through a
    template cost several times as much, and each line is a URL and a date."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for loc, lastmod in entries:
        # isoformat is four times as fast as strftime; its first 19 characters
        # are the date and time, without fractions or offset (UTC is stored).
        when = f"<lastmod>{lastmod.isoformat()[:19]}Z</lastmod>" if lastmod else ""
        lines.append(f"  <url><loc>{xml_escape(loc)}</loc>{when}</url>")
    lines.append("</urlset>")
    return _answer("\n".join(lines))


@bp.route("/sitemap.xml")
def sitemap() -> Any:
    """The hub's sitemap while it fits in one file, else the index of its files."""
    files = _files()
    if sum(count for _kind, _n, count, _lastmod in files) <= SITEMAP_MAX_URLS:
        entries = [e for kind in ("hub", *SECTIONS) for e in _entries(kind)]
        return _urlset(entries)
    index = [
        (absolute_url("site.sitemap_file", kind=kind, number=n), lastmod)
        for kind, n, _count, lastmod in files
    ]
    return _xml("site/sitemap_index.xml", files=index)


@bp.route("/sitemap-<any(hub, groups, episodes, posts):kind>-<int:number>.xml")
def sitemap_file(kind: str, number: int) -> Any:
    """One file of the sitemap index; 404 when it has no page."""
    if number < 1 or (number - 1) * SITEMAP_MAX_URLS >= _ID_MAX:
        abort(404)
    entries = _entries(kind, number)
    if not entries:
        abort(404)
    return _urlset(entries)


@bp.route("/robots.txt")
def robots() -> Any:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {absolute_url('site.sitemap')}", ""]
    return Response(
        "\n".join(lines), mimetype="text/plain", headers={"Cache-Control": "max-age=86400"}
    )
