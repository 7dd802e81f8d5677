"""Secret feed addresses through the API: shown once, listed without secrets, revoked."""

from __future__ import annotations

import pytest


@pytest.fixture
def people(make_user, make_group, api_token):
    manager, member, outsider = make_user("Mira"), make_user("Malte"), make_user()
    make_group("kreis", visibility="private", members={manager: "manager", member: "member"})
    make_group("offen", members={manager: "manager"})
    return {
        "manager": api_token(manager),
        "member": api_token(member),
        "outsider": api_token(outsider),
    }


def test_manager_creates_lists_and_revokes(client, people):
    resp = client.post(
        "/api/v1/groups/kreis/feed-tokens", headers=people["manager"], json={"label": "Annas Handy"}
    )
    assert resp.status_code == 201
    created = resp.get_json()
    assert created["label"] == "Annas Handy"
    assert created["url"].startswith("http://hub.test/feeds/kreis/private/")
    assert created["url"].endswith("/podcast.xml")
    secret = created["url"].split("/private/")[1].split("/")[0]
    listed = client.get("/api/v1/groups/kreis/feed-tokens", headers=people["manager"])
    assert listed.status_code == 200
    assert [t["id"] for t in listed.get_json()] == [created["id"]]
    assert "url" not in listed.get_json()[0]
    assert secret not in listed.get_data(as_text=True)
    assert listed.get_json()[0]["last_used_on"] is None

    gone = client.delete(
        f"/api/v1/groups/kreis/feed-tokens/{created['id']}", headers=people["manager"]
    )
    assert gone.status_code == 204
    assert client.get("/api/v1/groups/kreis/feed-tokens", headers=people["manager"]).json == []
    again = client.delete(
        f"/api/v1/groups/kreis/feed-tokens/{created['id']}", headers=people["manager"]
    )
    assert again.status_code == 404
    assert again.get_json()["error"]["code"] == "not_found"


def test_members_may_not_and_outsiders_do_not_see_the_group(client, people):
    for method in (client.get, client.post):
        member = method(
            "/api/v1/groups/kreis/feed-tokens", headers=people["member"], json={"label": "x"}
        )
        assert member.status_code == 403
        assert member.get_json()["error"]["code"] == "forbidden"
        outsider = method(
            "/api/v1/groups/kreis/feed-tokens", headers=people["outsider"], json={"label": "x"}
        )
        assert outsider.status_code == 404
    anonymous = client.get("/api/v1/groups/kreis/feed-tokens")
    assert anonymous.status_code == 401


def test_public_group_has_no_secret_addresses(client, people):
    resp = client.post(
        "/api/v1/groups/offen/feed-tokens", headers=people["manager"], json={"label": "Anna"}
    )
    assert resp.status_code == 422
    assert "öffentlich" in resp.get_json()["error"]["message"]  # German first


@pytest.mark.parametrize("body", [{}, {"label": ""}, {"label": "x" * 81}, {"label": 5}])
def test_bad_labels_are_422_with_the_field(client, people, body):
    resp = client.post("/api/v1/groups/kreis/feed-tokens", headers=people["manager"], json=body)
    assert resp.status_code == 422
    assert "label" in resp.get_json()["error"]["fields"]


def test_revoking_another_groups_token_is_404(client, people, make_group, make_user, api_token):
    created = client.post(
        "/api/v1/groups/kreis/feed-tokens", headers=people["manager"], json={"label": "Anna"}
    ).get_json()
    other_manager = make_user()
    make_group("andere", visibility="private", members={other_manager: "manager"})
    resp = client.delete(
        f"/api/v1/groups/andere/feed-tokens/{created['id']}", headers=api_token(other_manager)
    )
    assert resp.status_code == 404
    assert len(client.get("/api/v1/groups/kreis/feed-tokens", headers=people["manager"]).json) == 1


def test_english_on_request(client, people):
    resp = client.post(
        "/api/v1/groups/offen/feed-tokens",
        headers={**people["manager"], "Accept-Language": "en"},
        json={"label": "Anna"},
    )
    assert resp.status_code == 422
    assert "public" in resp.get_json()["error"]["message"]
