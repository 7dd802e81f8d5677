"""Self-service through the API: one's own settings and password, as on the
account pages (the mobile app has no web pages)."""

from __future__ import annotations

import pytest

from mediahub.accounts.models import User
from mediahub.core.extensions import db

from ..conftest import PASSWORD


def _fresh(user_id):
    db.session.expire_all()
    return db.session.get(User, user_id)


def test_reading_and_changing_my_settings(client, make_user, api_token):
    anna = make_user("Anna")
    headers = api_token(anna)
    me = client.get("/api/v1/users/me", headers=headers).get_json()
    assert me["locale"] is None
    assert me["is_credited"] is False
    assert me["email_notifications"] is True

    resp = client.patch(
        "/api/v1/users/me",
        headers=headers,
        json={
            "display_name": "  Sonnenblume ",
            "locale": "en",
            "is_credited": True,
            "email_notifications": False,
        },
    )
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert (body["display_name"], body["locale"]) == ("Sonnenblume", "en")
    assert body["is_credited"] is True and body["email_notifications"] is False
    assert client.get("/api/v1/users/me", headers=headers).get_json() == body

    # Only what is sent changes.
    resp = client.patch("/api/v1/users/me", headers=headers, json={"email_notifications": True})
    assert resp.get_json()["email_notifications"] is True
    assert resp.get_json()["display_name"] == "Sonnenblume"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"locale": "fr"}, "locale"),
        ({"locale": ""}, "locale"),
        ({"email_notifications": "yes"}, "email_notifications"),
        ({"email_notifications": 0}, "email_notifications"),
        ({"is_credited": "true"}, "is_credited"),
        ({"is_credited": None}, "is_credited"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"hub_role": "admin"}, "hub_role"),  # not one's own to choose
        ({"email": "other@example.org"}, "email"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(client, make_user, api_token, body, field):
    anna = make_user("Anna")
    resp = client.patch("/api/v1/users/me", headers=api_token(anna), json=body)
    assert resp.status_code == 422, resp.get_json()
    error = resp.get_json()["error"]
    assert field in error["fields"] and error["message"]
    unchanged = _fresh(anna.id)
    assert (unchanged.display_name, unchanged.locale, unchanged.hub_role.value) == (
        "Anna",
        None,
        "none",
    )
    assert unchanged.email_notifications is True and unchanged.is_credited is False


def test_the_language_error_names_the_languages(client, make_user, api_token):
    resp = client.patch(
        "/api/v1/users/me",
        headers={**api_token(make_user()), "Accept-Language": "en"},
        json={"locale": "fr"},
    )
    assert resp.get_json()["error"]["fields"]["locale"] == (
        "Please choose one of these languages: de, en."
    )


def test_my_settings_need_a_token(client):
    assert client.patch("/api/v1/users/me", json={"locale": "en"}).status_code == 401
    resp = client.put(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "a new long passphrase"},
    )
    assert resp.status_code == 401


def test_changing_my_password_ends_my_other_logins(client, make_user, api_token, browser):
    anna = make_user("Anna")
    laptop = browser(anna)
    tablet = api_token(anna)
    headers = api_token(anna)
    resp = client.put(
        "/api/v1/users/me/password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": "a new long passphrase"},
    )
    assert resp.status_code == 204
    assert laptop.get("/account").status_code == 302  # logged out
    assert client.get("/api/v1/users/me", headers=tablet).status_code == 401
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    old = client.post("/api/v1/tokens", json={"email": anna.email, "password": PASSWORD})
    assert old.status_code == 401
    new = client.post(
        "/api/v1/tokens", json={"email": anna.email, "password": "a new long passphrase"}
    )
    assert new.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"current_password": "wrong", "new_password": "a new long passphrase"},
            "current_password",
        ),
        ({"current_password": PASSWORD, "new_password": "short"}, "new_password"),
        ({"current_password": PASSWORD, "new_password": "x" * 1025}, "new_password"),
        ({"new_password": "a new long passphrase"}, "current_password"),
        ({"current_password": PASSWORD}, "new_password"),
    ],
)
def test_a_wrong_password_change_is_refused(client, make_user, api_token, browser, body, field):
    anna = make_user("Anna")
    laptop = browser(anna)
    resp = client.put(
        "/api/v1/users/me/password", headers={**api_token(anna), "Accept-Language": "en"}, json=body
    )
    assert resp.status_code == 422, resp.get_json()
    error = resp.get_json()["error"]
    assert field in error["fields"]
    assert laptop.get("/account").status_code == 200  # nothing changed, still logged in


def test_the_wrong_current_password_is_named(client, make_user, api_token):
    resp = client.put(
        "/api/v1/users/me/password",
        headers={**api_token(make_user()), "Accept-Language": "en"},
        json={"current_password": "wrong", "new_password": "a new long passphrase"},
    )
    assert resp.get_json()["error"]["message"] == "This is not your current password."
    assert resp.get_json()["error"]["fields"]["current_password"]


def test_guessing_the_current_password_is_throttled(client, make_user, api_token, app):
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "3 per minute"
    headers = api_token(make_user())
    statuses = [
        client.put(
            "/api/v1/users/me/password",
            headers=headers,
            json={"current_password": "guess", "new_password": "a new long passphrase"},
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]


def test_the_self_service_calls_are_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert {"get", "patch"} <= set(paths["/api/v1/users/me"])
    assert "put" in paths["/api/v1/users/me/password"]
    schemas = spec["components"]["schemas"]
    assert {"locale", "is_credited", "email_notifications"} <= set(schemas["User"]["properties"])
    update = schemas["MeUpdate"]["properties"]
    assert update["email_notifications"]["type"] == "boolean"
    assert set(update) == {"display_name", "locale", "is_credited", "email_notifications"}
    assert set(schemas["PasswordChange"]["required"]) == {"current_password", "new_password"}
