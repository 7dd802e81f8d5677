"""Login attempts are throttled before any password is hashed."""

from __future__ import annotations

import pytest

from mediahub.accounts import passwords


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "LOGIN_RATE_LIMIT": "5 per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": "3 per minute",
    }


def test_api_login_is_throttled_per_account_before_hashing(client, make_user, monkeypatch):
    user = make_user()
    calls = []
    real = passwords.verify_password
    monkeypatch.setattr(
        "mediahub.accounts.services.verify_password", lambda *a: calls.append(1) or real(*a)
    )
    statuses = [
        client.post("/api/v1/tokens", json={"email": user.email, "password": "guess"}).status_code
        for _ in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]
    assert len(calls) == 3
    body = client.post("/api/v1/tokens", json={"email": user.email, "password": "x"}).get_json()
    assert body["error"]["code"] == "rate_limited"


def test_form_login_is_throttled_per_client(client, make_user):
    users = [make_user() for _ in range(6)]
    statuses = [
        client.post_form("/login", {"email": u.email, "password": "guess"}).status_code
        for u in users
    ]
    assert statuses[:5] == [422] * 5
    assert statuses[5] == 429
    # Looking at the login page is not an attempt.
    assert client.get("/login").status_code == 200
