"""A forgotten password: a one-time link by mail (through a real SMTP server),
on the web and in the API; the same answer for every address; every other
login ends when the new password is set."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import func, select

from mediahub.accounts import password_reset
from mediahub.accounts.models import ApiToken, LoginSession, PasswordReset, User
from mediahub.accounts.services import create_user, update_user
from mediahub.accounts.tasks import purge_password_resets
from mediahub.core.errors import PermissionDenied
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from tests.conftest import PASSWORD

NEW = "a brand new passphrase"


def _rows() -> list[PasswordReset]:
    db.session.expire_all()
    return list(db.session.scalars(select(PasswordReset)))


def _count(cls) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(cls))


@pytest.fixture
def anna(inbox, make_user):
    return make_user("Anna", email="anna@example.org")


def _ask(client, email="anna@example.org"):
    return client.post_form("/password/forgot", {"email": email})


def _link(inbox, address="anna@example.org") -> str:
    mail = inbox.to(address)[-1]
    return inbox.link(mail)


def _set(client, link, password=NEW, confirm=None):
    return client.post_form(link, {"new": password, "confirm": confirm or password})


def test_the_login_page_links_to_the_forgotten_password_page(anonymous):
    page = anonymous.get("/login").get_data(as_text=True)
    assert '<a href="/password/forgot">Passwort vergessen?</a>' in page
    assert anonymous.get("/password/forgot").status_code == 200


def test_a_person_sets_a_new_password_with_the_link_from_the_mail(
    anna, inbox, anonymous, browser, api_token, app
):
    other_browser = browser(anna)
    app_token = api_token(anna)
    assert _count(LoginSession) == 1

    resp = _ask(anonymous)
    assert resp.status_code == 302
    page = anonymous.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Wenn es ein Konto mit der Adresse anna@example.org gibt" in page

    (mail,) = inbox.to("anna@example.org")
    assert mail["Subject"] == "Ein neues Passwort für MediaHub"
    body = inbox.body(mail)
    assert "eine Stunde" in body
    link = inbox.link(mail)
    secret = link.rsplit("/", 1)[1]
    assert re.fullmatch(r"/password/reset/[A-Za-z0-9_-]{43}", link)  # 256 bits
    (row,) = _rows()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()  # only its hash

    # Opening the link (or a mail scanner doing so) changes nothing.
    ask = anonymous.get(link)
    assert ask.status_code == 200
    assert ask.headers["Referrer-Policy"] == "no-referrer"
    assert ask.headers["Cache-Control"] == "no-store"
    assert _rows()[0].used_at is None

    done = _set(anonymous, link)
    assert done.status_code == 302 and done.headers["Location"] == "/my"
    assert anonymous.get("/my").status_code == 200  # logged in here …
    # … and nowhere else: the other browser and the app are logged out.
    assert other_browser.get("/my").status_code == 302
    assert anonymous.get("/api/v1/users/me", headers=app_token).status_code == 401
    assert _count(ApiToken) == 0 and _count(LoginSession) == 1
    # The new password works, the old one no longer does; the link is used up.
    assert anonymous.get(link).status_code == 404
    fresh = app.test_client()
    assert fresh.post_form("/login", {"email": anna.email, "password": PASSWORD}).status_code == 422
    assert fresh.post_form("/login", {"email": anna.email, "password": NEW}).status_code == 302


def test_every_address_gets_the_same_answer_and_only_accounts_get_mail(anna, inbox, anonymous):
    known = _ask(anonymous, "anna@example.org")
    known_page = anonymous.get(known.headers["Location"]).get_data(as_text=True)
    unknown = _ask(anonymous, "nobody@example.org")
    unknown_page = anonymous.get(unknown.headers["Location"]).get_data(as_text=True)
    assert known.status_code == unknown.status_code == 302
    assert known_page.replace("anna@example.org", "X") == unknown_page.replace(
        "nobody@example.org", "X"
    )
    assert len(inbox.to("anna@example.org")) == 1
    assert inbox.to("nobody@example.org") == []
    # Reloading the answer does not ask again.
    assert "Wenn es ein Konto" not in anonymous.get("/password/forgot").get_data(as_text=True)


def test_the_request_does_the_same_work_for_every_address(anna, app, anonymous):
    """The account is looked up by the worker, not while the visitor waits:
    with a real queue, neither request touches an account."""
    from mediahub.core.queue import huey

    huey.immediate = False
    try:
        huey.flush()
        for email in ("anna@example.org", "nobody@example.org"):
            assert _ask(anonymous, email).status_code == 302
        pending = [t.name for t in huey.pending()]
        assert pending == ["send_password_reset_link"] * 2
        assert _rows() == []
    finally:
        huey.flush()
        huey.immediate = True


def test_a_bad_address_is_a_form_error(anonymous, inbox):
    resp = _ask(anonymous, "not an address")
    assert resp.status_code == 422
    assert "keine gültige E-Mail-Adresse" in resp.get_data(as_text=True)


def test_the_link_works_for_one_hour(anna, inbox, anonymous):
    _ask(anonymous)
    link = _link(inbox)
    (row,) = _rows()
    assert row.expires_at - row.created_at == dt.timedelta(hours=1)
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    page = anonymous.get(link)
    assert page.status_code == 404
    assert "nicht (mehr) gültig" in page.get_data(as_text=True)
    assert _set(anonymous, link).status_code == 404


def test_only_the_newest_link_works(anna, inbox, anonymous):
    _ask(anonymous)
    first = _link(inbox)
    _ask(anonymous)
    second = _link(inbox)
    assert first != second
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200


def test_the_new_password_follows_the_rules(anna, inbox, anonymous):
    _ask(anonymous)
    link = _link(inbox)
    short = _set(anonymous, link, "kurz")
    assert short.status_code == 422
    assert "mindestens 10 Zeichen" in short.get_data(as_text=True)
    differ = _set(anonymous, link, NEW, "something else entirely")
    assert differ.status_code == 422
    assert _rows()[0].used_at is None  # the link still works
    assert _set(anonymous, link).status_code == 302


def test_deactivated_accounts_get_no_link(anna, inbox, anonymous):
    update_user(anna, is_active=False)
    db.session.commit()
    assert _ask(anonymous).status_code == 302
    assert inbox.to("anna@example.org") == []


def test_a_link_stops_working_when_the_account_is_deactivated(anna, inbox, anonymous):
    _ask(anonymous)
    link = _link(inbox)
    update_user(anna, is_active=False)
    db.session.commit()
    assert anonymous.get(link).status_code == 404


def test_an_admin_sends_the_link_to_an_account_created_without_password(
    inbox, make_user, browser, anonymous
):
    admin = make_user("Admin", hub_role="admin")
    newcomer = create_user("ben@example.org", "Ben")  # no password: cannot log in yet
    db.session.commit()
    me = browser(admin)
    page = me.get("/admin/people").get_data(as_text=True)
    assert "Passwort-Link an Ben schicken" in page
    resp = me.post_form(f"/admin/people/{newcomer.id}/password-link", {})
    assert resp.status_code == 302
    assert "ben@example.org" in me.get("/admin/people").get_data(as_text=True)
    (mail,) = inbox.to("ben@example.org")
    assert mail["Subject"] == "Ihr Passwort für MediaHub"
    assert "ein Konto bei MediaHub angelegt" in inbox.body(mail)
    assert _set(anonymous, inbox.link(mail)).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, newcomer.id).password_hash is not None


def test_only_admins_send_links(inbox, make_user, browser):
    anna = make_user("Anna")
    ben = make_user("Ben")
    resp = browser(anna).post_form(f"/admin/people/{ben.id}/password-link", {})
    assert resp.status_code in (403, 404)
    assert inbox.messages == []
    with pytest.raises(PermissionDenied):
        password_reset.send_link(ben, actor=anna)


def test_purge_removes_expired_links(anna, inbox, anonymous):
    _ask(anonymous)
    (row,) = _rows()
    row.expires_at = utcnow() - dt.timedelta(minutes=1)
    db.session.commit()
    purge_password_resets.call_local()
    assert _rows() == []


# --- The API, for the app ---------------------------------------------------


def test_the_app_asks_for_a_link_and_sets_the_password(anna, inbox, client, api_token):
    old_token = api_token(anna)
    known = client.post("/api/v1/password-resets", json={"email": "anna@example.org"})
    unknown = client.post("/api/v1/password-resets", json={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_json() == unknown.get_json()
    secret = _link(inbox).rsplit("/", 1)[1]

    weak = client.post("/api/v1/password-resets/complete", json={"token": secret, "password": "x"})
    assert weak.status_code == 422
    assert "password" in weak.get_json()["error"]["fields"]
    done = client.post("/api/v1/password-resets/complete", json={"token": secret, "password": NEW})
    assert done.status_code == 204
    assert client.get("/api/v1/users/me", headers=old_token).status_code == 401
    assert (
        client.post("/api/v1/tokens", json={"email": anna.email, "password": NEW}).status_code
        == 201
    )
    again = client.post("/api/v1/password-resets/complete", json={"token": secret, "password": NEW})
    assert again.status_code == 404
    assert again.get_json()["error"]["code"] == "reset_link_invalid"


@pytest.mark.parametrize(
    "body",
    [{}, {"email": ""}, {"email": "x" * 300}, {"email": ["a"]}, {"email": "no address"}],
)
def test_the_api_refuses_what_is_not_an_address(client, body):
    resp = client.post("/api/v1/password-resets", json=body)
    assert resp.status_code == 422
    assert "email" in resp.get_json()["error"]["fields"]


def test_the_api_calls_are_described(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"post"} <= set(spec["paths"]["/api/v1/password-resets"])
    assert {"post"} <= set(spec["paths"]["/api/v1/password-resets/complete"])
    for path in ("/api/v1/password-resets", "/api/v1/password-resets/complete"):
        assert spec["paths"][path]["post"].get("security") == []  # no login needed
