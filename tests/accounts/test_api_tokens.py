"""Personal access tokens."""

from __future__ import annotations

from mediahub.accounts.models import ApiToken
from mediahub.core.extensions import db

from ..conftest import PASSWORD


def test_token_round_trip_and_logout(client, make_user):
    user = make_user("Mo")
    resp = client.post(
        "/api/v1/tokens", json={"email": user.email.upper(), "password": PASSWORD, "label": "Phone"}
    )
    assert resp.status_code == 201
    secret = resp.get_json()["token"]
    assert secret.startswith("mh_") and len(secret) > 40
    # Only a hash is stored.
    assert db.session.scalar(db.select(ApiToken.token_hash)) != secret
    headers = {"Authorization": f"Bearer {secret}"}
    me = client.get("/api/v1/users/me", headers=headers).get_json()
    assert me["display_name"] == "Mo"
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_wrong_credentials_and_missing_fields(client, make_user):
    user = make_user()
    resp = client.post("/api/v1/tokens", json={"email": user.email, "password": "nope"})
    assert resp.status_code == 401
    resp = client.post("/api/v1/tokens", json={"email": user.email})
    assert resp.status_code == 422
    assert "password" in resp.get_json()["error"]["fields"]


def test_api_ignores_session_cookies(client, make_user, login):
    login(make_user())
    assert client.get("/api/v1/users/me").status_code == 401


def test_admin_creates_people(client, make_user, api_token):
    admin = make_user(hub_role="admin")
    headers = api_token(admin)
    resp = client.post(
        "/api/v1/users",
        headers=headers,
        json={
            "email": "Neu@Example.org",
            "display_name": "Sonnenblume",
            "password": "long enough pw",
        },
    )
    assert resp.status_code == 201
    assert resp.get_json()["email"] == "neu@example.org"
    again = client.post(
        "/api/v1/users", headers=headers, json={"email": "neu@example.org", "display_name": "x"}
    )
    assert again.status_code == 409
    bad = client.post(
        "/api/v1/users", headers=headers, json={"email": "not-an-email", "display_name": "x"}
    )
    assert bad.status_code == 422
    assert "email" in bad.get_json()["error"]["fields"]
    member = make_user()
    resp = client.post(
        "/api/v1/users",
        headers=api_token(member),
        json={"email": "x@example.org", "display_name": "x"},
    )
    assert resp.status_code == 403


def test_admin_cannot_demote_themselves(client, make_user, api_token):
    admin = make_user(hub_role="admin")
    resp = client.patch(
        f"/api/v1/users/{admin.id}", headers=api_token(admin), json={"hub_role": "none"}
    )
    assert resp.status_code == 403
