"""Pages send a fixed number of SQL statements, however many groups and
items there are (no query per row)."""

from __future__ import annotations

from typing import Any

import pytest

from mediahub.core.extensions import db


@pytest.fixture
def hub(make_group, make_user, make_episode, make_post, publish) -> Any:
    """Build a hub with ``n`` public groups, each with published items."""
    author = make_user()
    author.is_credited = True
    db.session.commit()
    state: dict[str, Any] = {"groups": []}

    def grow(n: int) -> dict[str, Any]:
        while len(state["groups"]) < n:
            group = make_group()
            state["groups"].append(group)
            state["episode"] = publish(make_episode(group, author))
            publish(make_post(group, author))
        return state

    return grow


def _statements(client, count_queries, url: str) -> int:
    client.get(url)  # warm up (first request of an app may load more)
    with count_queries() as counter:
        resp = client.get(url)
    assert resp.status_code == 200, url
    return counter.count


def test_home_query_count_does_not_grow(client, count_queries, hub):
    hub(3)
    few = _statements(client, count_queries, "/")
    hub(30)
    many = _statements(client, count_queries, "/")
    assert few == many
    assert many <= 8


def test_group_page_query_count_does_not_grow(
    client, count_queries, hub, make_episode, make_post, publish, make_user
):
    state = hub(1)
    group = state["groups"][0]
    author = make_user()
    url = f"/groups/{group.slug}/"
    few = _statements(client, count_queries, url)
    for _ in range(25):
        publish(make_episode(group, author))
        publish(make_post(group, author))
    many = _statements(client, count_queries, url)
    assert few == many
    assert many <= 9


def test_episode_page_query_count_is_small(client, count_queries, hub):
    state = hub(3)
    episode = state["episode"]
    url = f"/groups/{episode.group.slug}/episodes/{episode.id}"
    few = _statements(client, count_queries, url)
    hub(12)
    assert _statements(client, count_queries, url) == few
    assert few <= 6


def test_sitemap_query_count_does_not_grow(client, count_queries, hub):
    hub(3)
    few = _statements(client, count_queries, "/sitemap.xml")
    hub(20)
    assert _statements(client, count_queries, "/sitemap.xml") == few


def test_sitemap_index_and_files_query_counts_do_not_grow(client, count_queries, hub, monkeypatch):
    from mediahub.site import seo

    monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", 5)
    hub(3)
    index = _statements(client, count_queries, "/sitemap.xml")
    one_file = _statements(client, count_queries, "/sitemap-episodes-1.xml")
    hub(20)
    assert _statements(client, count_queries, "/sitemap.xml") == index <= 3
    # The items by id range, then their groups by id.
    assert _statements(client, count_queries, "/sitemap-episodes-1.xml") == one_file <= 2
