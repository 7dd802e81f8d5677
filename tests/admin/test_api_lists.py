"""The API's long lists (everybody's accounts for admins, the groups anybody
may find) come in pages counted by the database, with a search argument: a
national hub's 100,000 groups are never one answer."""

from __future__ import annotations

import json

import pytest


def test_admins_page_through_people_and_search_them(client, make_user, api_token):
    admin = make_user("Aaron Admin", hub_role="admin")
    for n in range(12):
        make_user(f"Person {n:02d}", email=f"p{n:02d}@example.org")
    headers = api_token(admin)
    first = client.get("/api/v1/users?page_size=5", headers=headers)
    assert first.status_code == 200
    names = [p["display_name"] for p in first.get_json()]
    assert names == ["Aaron Admin", "Person 00", "Person 01", "Person 02", "Person 03"]
    paging = json.loads(first.headers["X-Pagination"])
    assert (paging["total"], paging["total_pages"], paging["next_page"]) == (13, 3, 2)
    last = client.get("/api/v1/users?page_size=5&page=3", headers=headers).get_json()
    assert [p["display_name"] for p in last] == ["Person 09", "Person 10", "Person 11"]
    found = client.get("/api/v1/users?q=P07%40EXAMPLE", headers=headers).get_json()
    assert [p["display_name"] for p in found] == ["Person 07"]


def test_only_admins_list_people(client, make_user, api_token):
    anna = make_user("Anna")
    resp = client.get("/api/v1/users?q=a", headers=api_token(anna))
    assert resp.status_code == 403 and resp.get_json()["error"]["message"]


def test_anybody_pages_through_the_groups_and_finds_them_by_words(client, make_user, make_group):
    for n in range(14):
        make_group(f"kreis-{n:02d}", name=f"Kreis {n:02d}")
    make_group("trauer", name="Trauercafé", description="Für Menschen in Trauer in Altona")
    make_group("geheim", name="Geheimer Kreis", visibility="private")
    first = client.get("/api/v1/groups")
    paging = json.loads(first.headers["X-Pagination"])
    assert paging["total"] == 15  # the private group is not listed to outsiders
    assert len(first.get_json()) == 10 and paging["total_pages"] == 2  # smorest: 10 a page
    found = client.get("/api/v1/groups?q=trauer altona").get_json()
    assert [g["slug"] for g in found] == ["trauer"]
    assert client.get("/api/v1/groups?q=geheim").get_json() == []


@pytest.mark.parametrize(
    "query",
    ["q=" + "x" * 101, "page=0", "page=1e3", "page_size=1000"],
)
def test_bad_list_arguments_get_a_clear_error(client, query):
    resp = client.get(f"/api/v1/groups?{query}")
    assert resp.status_code == 422
    assert resp.get_json()["error"]["message"]


@pytest.mark.parametrize("page", ["50", "99999999999999999999"])
def test_a_page_past_the_end_is_empty(client, make_group, page):
    make_group("kreis", name="Kreis")
    resp = client.get(f"/api/v1/groups?page={page}")
    assert resp.status_code == 200 and resp.get_json() == []
