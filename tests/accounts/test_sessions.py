"""Logging in and out, and what really ends a session."""

from __future__ import annotations

from argon2 import PasswordHasher

from mediahub.accounts import passwords
from mediahub.core.extensions import db

from ..conftest import PASSWORD


def _logged_in(client) -> bool:
    return client.get("/account/password").status_code == 200


def test_login_page_and_wrong_password(client, make_user):
    user = make_user()
    assert client.get("/login").status_code == 200
    resp = client.post_form("/login", {"email": user.email, "password": "wrong password"})
    assert resp.status_code == 422
    assert not _logged_in(client)


def test_login_redirects_only_to_local_paths(client, make_user):
    user = make_user()
    resp = client.post_form(
        "/login?next=https://evil.example/x", {"email": user.email, "password": PASSWORD}
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/my"


def test_logout_really_ends_the_session(app, client, make_user, login):
    user = make_user()
    login(user)
    assert _logged_in(client)
    stolen = client.get_cookie("mediahub_session").value
    client.post_form("/logout")
    assert not _logged_in(client)
    # A copy of the old cookie (say, from a shared computer) no longer works.
    client.set_cookie("mediahub_session", stolen)
    assert not _logged_in(client)


def test_password_change_logs_out_other_devices(app, make_user, login, api_token):
    user = make_user()
    app_on_a_lost_phone = api_token(user)
    laptop, phone = app.test_client(), app.test_client()
    for c in (laptop, phone):
        c.post_form("/login", {"email": user.email, "password": PASSWORD})
        assert _logged_in(c)
    resp = laptop.post_form(
        "/account/password",
        {"current": PASSWORD, "new": "a new long passphrase", "confirm": "a new long passphrase"},
    )
    assert resp.status_code == 302
    assert _logged_in(laptop)
    assert not _logged_in(phone)
    assert phone.get("/api/v1/users/me", headers=app_on_a_lost_phone).status_code == 401
    phone.post_form("/login", {"email": user.email, "password": "a new long passphrase"})
    assert _logged_in(phone)


def test_password_change_validates(client, make_user, login):
    login(make_user())
    resp = client.post_form(
        "/account/password", {"current": PASSWORD, "new": "short", "confirm": "short"}
    )
    assert resp.status_code == 422
    assert "mindestens" in resp.get_data(as_text=True)


def test_remember_me_survives_the_browser_session_and_dies_with_logout(app, make_user):
    user = make_user()
    c = app.test_client()
    c.post_form("/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = c.get_cookie("mediahub_remember")
    assert remember is not None
    assert remember.http_only
    # A new browser session with only the remember cookie is still logged in.
    fresh = app.test_client()
    fresh.set_cookie("mediahub_remember", remember.value)
    assert _logged_in(fresh)
    c.post_form("/logout")
    again = app.test_client()
    again.set_cookie("mediahub_remember", remember.value)
    assert not _logged_in(again)


def test_deactivated_person_is_logged_out(client, make_user, login):
    from mediahub.accounts.services import update_user

    user = make_user()
    login(user)
    update_user(user, is_active=False)
    db.session.commit()
    assert not _logged_in(client)


def test_csrf_is_required_on_forms(client, make_user):
    user = make_user()
    resp = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert resp.status_code == 400
    assert not _logged_in(client)


def test_cookie_flags_are_deliberate(app_config, make_user):
    from mediahub import create_app

    app = create_app({**app_config, "BASE_URL": "https://hub.example"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024**3


def test_production_argon2_parameters_meet_owasp(app):
    app.config["PASSWORD_HASH_PROFILE"] = "rfc9106_low_memory"
    stored = passwords.hash_password("some passphrase")
    params = PasswordHasher.from_parameters(passwords._PROFILES["rfc9106_low_memory"])
    assert stored.startswith("$argon2id$")
    # OWASP: argon2id with at least 19 MiB memory, 2 iterations, 1 lane.
    assert params.memory_cost >= 19 * 1024
    assert params.time_cost >= 2
    assert params.parallelism >= 1
    assert f"m={params.memory_cost},t={params.time_cost},p={params.parallelism}" in stored
    assert passwords.verify_password(stored, "some passphrase")
    assert not passwords.verify_password(stored, "other passphrase")
