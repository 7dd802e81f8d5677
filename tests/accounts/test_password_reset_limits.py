"""Asking for password links is limited per address and per client (mail
bombing, address probing), the same for known and unknown addresses; wrong
links count as guesses of a secret address."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "PASSWORD_RESET_RATE_LIMIT": "4 per hour",
        "PASSWORD_RESET_ADDRESS_RATE_LIMIT": "2 per hour",
        "SECRET_GUESS_LIMIT": "3 per minute",
    }


@pytest.mark.parametrize("email", ["anna@example.org", "nobody@example.org"])
def test_one_address_gets_few_links(inbox, make_user, client, email):
    make_user("Anna", email="anna@example.org")
    statuses = [
        client.post_form("/password/forgot", {"email": email}).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert len(inbox.to("anna@example.org")) == (2 if email.startswith("anna") else 0)
    # Another address from the same client still works.
    assert client.post_form("/password/forgot", {"email": "x@example.org"}).status_code == 302


def test_one_client_asks_for_few_addresses(client, inbox):
    statuses = [
        client.post_form("/password/forgot", {"email": f"p{i}@example.org"}).status_code
        for i in range(5)
    ]
    assert statuses == [302, 302, 302, 302, 429]
    page = client.post_form("/password/forgot", {"email": "q@example.org"})
    assert "Zu viele Versuche" in page.get_data(as_text=True)


def test_the_api_shares_the_budgets(client, inbox):
    for _ in range(2):
        assert (
            client.post("/api/v1/password-resets", json={"email": "a@example.org"}).status_code
            == 202
        )
    resp = client.post("/api/v1/password-resets", json={"email": "a@example.org"})
    assert resp.status_code == 429
    assert resp.get_json()["error"]["code"] == "rate_limited"
    assert client.post_form("/password/forgot", {"email": "a@example.org"}).status_code == 429


def test_guessing_links_is_limited(client):
    statuses = [client.get(f"/password/reset/guess{i}").status_code for i in range(4)]
    assert statuses == [404, 404, 404, 429]
    api = client.post(
        "/api/v1/password-resets/complete", json={"token": "guess", "password": "x" * 12}
    )
    assert api.status_code == 429
