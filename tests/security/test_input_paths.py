"""Addresses no route can mean answer 404: ids beyond what a column holds,
NUL and other control characters, names far too long, "..".

The converters are the application's own for every rule (``int``, the
default string, ``path``), and the public feed files in front of Flask take
only the feed names they serve.
"""

from __future__ import annotations

import pytest

from mediahub.web.paths import MAX_ID

from .input_setup import SLUG, make_team

HUGE = "99999999999999999999999"

PATHS = [
    f"/api/v1/episodes/{HUGE}",
    f"/api/v1/posts/{HUGE}",
    f"/api/v1/episodes/{MAX_ID + 1}",
    f"/api/v1/episodes/{2**63}",
    f"/api/v1/episodes/{'9' * 5000}",
    f"/api/v1/episodes/{HUGE}/history",
    f"/api/v1/groups/{SLUG}/members/{HUGE}",
    f"/api/v1/groups/{SLUG}/feed-tokens/{HUGE}",
    f"/media/images/{HUGE}-x.jpg",
    f"/media/episodes/x/image-{HUGE}.jpg",
    f"/media/groups/{SLUG}/cover-{HUGE}.jpg",
    f"/episodes/{HUGE}",
    f"/posts/{HUGE}/edit",
    f"/review/episodes/{HUGE}",
    "/feeds/%00/podcast.xml",
    "/feeds/%00/blog.atom",
    "/feeds/a%00b/podcast.xml",
    f"/feeds/{SLUG}%00/podcast.xml",
    f"/feeds/{SLUG}/private/%00/podcast.xml",
    "/feeds/..%2f..%2fetc/podcast.xml",
    "/feeds/../podcast.xml",
    f"/feeds/{'a' * 300}/podcast.xml",
    f"/feeds/{'a' * 5000}/blog.atom",
    "/api/v1/groups/%00",
    "/api/v1/groups/%00/episodes",
    "/api/v1/uploads/%00",
    "/groups/%00/",
    "/groups/a%1Fb/",
    "/media/episodes/%00.mp3",
    "/media/episodes/x%00y.vtt",
    "/media/private/%00/episodes/x.mp3",
    "/media/groups/%00/cover-generated-x.jpg",
    "/invitations/%00",
    "/unsubscribe/%00",
    "/embed/episodes/%00",
    "/static/%00",
    "/static/css/%00.css",
]


@pytest.fixture
def team(make_user, make_group, api_token):
    return make_team(make_user, make_group, api_token)


@pytest.mark.parametrize("path", PATHS)
def test_addresses_no_route_can_mean_are_404(client, team, path):
    for method in ("get", "head"):
        resp = getattr(client, method)(path, headers=team.as_admin)
        assert resp.status_code == 404, (method, path, resp.status_code)
        resp.close()


@pytest.mark.parametrize("path", ["/feeds/%00/podcast.xml", f"/api/v1/episodes/{HUGE}"])
def test_anonymous_callers_get_the_same_404(client, path):
    assert client.get(path).status_code == 404


def test_the_largest_id_is_still_an_address(client, team):
    resp = client.get(f"/api/v1/episodes/{MAX_ID}", headers=team.as_admin)
    assert resp.status_code == 404
    assert resp.get_json()["error"]["code"] == "not_found"


def test_real_feeds_are_still_served(client, team):
    resp = client.get(f"/feeds/{SLUG}/podcast.xml")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/rss+xml")
    resp.close()
