"""Changing an email address: a link to the new address, a notice to the old
one, the change only when the link is used — through a real SMTP server,
on the web and in the API; administrators change addresses at once."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest

from mediahub.accounts import email_change
from mediahub.accounts.models import EmailChange, User, hash_token
from mediahub.accounts.services import update_user
from mediahub.accounts.tasks import purge_email_changes
from mediahub.core.extensions import db
from mediahub.mail.unsubscribe import unsubscribe_url
from tests.conftest import PASSWORD

NEW = "anna.neu@example.org"


def _fresh(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def _changes() -> list[EmailChange]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(EmailChange)))


@pytest.fixture
def anna(inbox, make_user):
    return make_user("Anna", email="anna@example.org")


def _ask(client, new=NEW, password=PASSWORD):
    return client.post_form("/account/email", {"email": new, "password": password})


def _link(inbox, address: str) -> str:
    (mail,) = inbox.to(address)
    return inbox.link(mail)


def test_a_person_changes_their_address_on_the_web(anna, inbox, browser, anonymous):
    me = browser(anna)
    resp = _ask(me)
    assert resp.status_code == 302
    page = me.get("/account").get_data(as_text=True)
    assert f"Ein Bestätigungslink ist unterwegs an {NEW}" in page
    assert f"Wartet auf Bestätigung: {NEW}" in page
    # Nothing has changed yet; only the new address got a mail.
    assert _fresh(anna.id).email == "anna@example.org"
    assert inbox.to("anna@example.org") == []
    (mail,) = inbox.to(NEW)
    assert mail["Subject"] == "Bitte bestätigen Sie Ihre neue E-Mail-Adresse"
    link = inbox.link(mail)
    assert link.startswith("/account/email/")

    # Opening the link (or a mail scanner doing so) only asks.
    ask = anonymous.get(link)
    assert ask.status_code == 200 and NEW in ask.get_data(as_text=True)
    assert ask.headers["Referrer-Policy"] == "no-referrer"
    assert _fresh(anna.id).email == "anna@example.org"
    done = anonymous.post_form(link, {})
    assert done.status_code == 302
    assert _fresh(anna.id).email == NEW

    (notice,) = inbox.to("anna@example.org")
    assert notice["Subject"] == "Ihre E-Mail-Adresse wurde geändert"
    assert f"geändert in: {NEW}" in inbox.body(notice)
    # The link works once; the new address logs in, the old one no longer does.
    assert anonymous.get(link).status_code == 404
    assert anonymous.post_form("/login", {"email": NEW, "password": PASSWORD}).status_code == 302
    again = browser(anna)  # (logs in with her new address)
    old = again.post_form("/logout", {})
    old = again.post_form("/login", {"email": "anna@example.org", "password": PASSWORD})
    assert old.status_code == 422


def test_the_link_is_long_random_stored_hashed_and_for_a_day(anna, inbox, browser, anonymous):
    _ask(browser(anna))
    secret = _link(inbox, NEW).rsplit("/", 1)[1]
    assert len(secret) >= 43  # 32 random bytes, base64: 256 bits
    (row,) = _changes()
    assert row.token_hash == hash_token(secret) and secret not in row.token_hash
    assert row.expires_at - row.created_at == dt.timedelta(hours=24)
    row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.session.commit()
    assert anonymous.get(f"/account/email/{secret}").status_code == 404
    assert anonymous.post_form(f"/account/email/{secret}", {}).status_code == 404
    assert _fresh(anna.id).email == "anna@example.org"
    purge_email_changes.call_local()
    assert _changes() == []


@pytest.mark.parametrize(
    ("new", "password", "field", "message"),
    [
        (NEW, "wrong password", "password", "Das ist nicht Ihr bisheriges Passwort."),
        ("anna@example.org", PASSWORD, "email", "Das ist bereits Ihre Adresse."),
        ("ANNA@example.org", PASSWORD, "email", "Das ist bereits Ihre Adresse."),
        ("keine adresse", PASSWORD, "email", "keine gültige E-Mail-Adresse"),
        ("", PASSWORD, "email", "Bitte geben Sie die neue Adresse ein."),
    ],
    ids=["wrong password", "same address", "same in capitals", "not an address", "empty"],
)
def test_refused_requests_say_why_and_mail_nobody(
    anna, inbox, browser, new, password, field, message
):
    resp = _ask(browser(anna), new, password)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert inbox.messages == [] and _changes() == []


def test_an_address_of_another_account_is_not_revealed(anna, inbox, browser, make_user):
    make_user("Ben", email="ben@example.org")
    resp = _ask(browser(anna), "ben@example.org")
    assert resp.status_code == 302  # the same answer as for a free address
    (mail,) = inbox.to("ben@example.org")
    body = inbox.body(mail)
    assert "gehört dort schon zu einem Konto" in body
    assert "/account/email/" not in body  # no link that could take it
    assert _fresh(anna.id).email == "anna@example.org"


def test_the_address_is_checked_again_when_the_link_is_used(
    anna, inbox, browser, anonymous, make_user
):
    _ask(browser(anna))
    link = _link(inbox, NEW)
    make_user("Zweite", email=NEW)  # taken meanwhile
    resp = anonymous.post_form(link, {})
    assert resp.status_code == 409
    assert "gehört inzwischen zu einem anderen Konto" in resp.get_data(as_text=True)
    assert _fresh(anna.id).email == "anna@example.org"
    assert inbox.to("anna@example.org") == []


def test_only_the_newest_request_counts(anna, inbox, browser, anonymous):
    me = browser(anna)
    _ask(me, "erste@example.org")
    _ask(me, "zweite@example.org")
    first, second = _link(inbox, "erste@example.org"), _link(inbox, "zweite@example.org")
    assert anonymous.get(first).status_code == 404
    assert anonymous.post_form(second, {}).status_code == 302
    assert _fresh(anna.id).email == "zweite@example.org"


def test_mails_come_in_the_persons_language(anna, inbox, browser, anonymous):
    update_user(anna, locale="en")
    db.session.commit()
    _ask(browser(anna))
    (mail,) = inbox.to(NEW)
    assert mail["Subject"] == "Please confirm your new email address"
    anonymous.post_form(inbox.link(mail), {})
    (notice,) = inbox.to("anna@example.org")
    assert notice["Subject"] == "Your email address has been changed"


def test_links_in_mails_to_the_old_address_stop_working(anna, inbox, browser, anonymous):
    stop = unsubscribe_url(anna).removeprefix("http://hub.test")
    assert anonymous.get(stop).status_code == 200
    _ask(browser(anna))
    anonymous.post_form(_link(inbox, NEW), {})
    assert anonymous.get(stop).status_code == 404


def test_requests_are_limited_per_account(anna, inbox, browser):
    me = browser(anna)
    statuses = [_ask(me, f"neu{n}@example.org").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]  # EMAIL_CHANGE_RATE_LIMIT: 3 per hour
    assert len(inbox.messages) == 3


# The API --------------------------------------------------------------------


def test_the_api_asks_and_the_link_changes(anna, inbox, client, api_token, anonymous):
    headers = api_token(anna)
    resp = client.put(
        "/api/v1/users/me/email", json={"email": NEW, "password": PASSWORD}, headers=headers
    )
    assert resp.status_code == 202, resp.get_json()
    body = resp.get_json()
    assert body["new_email"] == NEW and body["expires_at"]
    assert client.get("/api/v1/users/me", headers=headers).get_json()["email"] == (
        "anna@example.org"
    )
    anonymous.post_form(_link(inbox, NEW), {})
    assert client.get("/api/v1/users/me", headers=headers).get_json()["email"] == NEW
    assert len(inbox.to("anna@example.org")) == 1


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"email": NEW, "password": "wrong"}, 422, "password"),
        ({"email": "anna@example.org", "password": PASSWORD}, 422, "email"),
        ({"email": "kaputt", "password": PASSWORD}, 422, "email"),
        ({"email": NEW}, 422, "password"),
        ({"email": ["x@example.org"], "password": PASSWORD}, 422, "email"),
    ],
    ids=["wrong password", "same address", "not an address", "no password", "a list"],
)
def test_the_api_refuses_with_the_field_named(
    anna, inbox, client, api_token, payload, status, field
):
    resp = client.put("/api/v1/users/me/email", json=payload, headers=api_token(anna))
    assert resp.status_code == status
    assert field in resp.get_json()["error"]["fields"]
    assert inbox.messages == []


def test_the_api_needs_a_login(client):
    resp = client.put("/api/v1/users/me/email", json={"email": NEW, "password": PASSWORD})
    assert resp.status_code == 401


def test_the_openapi_description_documents_it(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/users/me/email"]["put"]
    assert "202" in operation["responses"]
    assert "confirmation link" in operation["description"]
    update = spec["components"]["schemas"]["UserUpdate"]["properties"]
    assert "email" in update


# Administrators -------------------------------------------------------------


@pytest.fixture
def admin(make_user):
    return make_user("Ada", hub_role="admin", email="ada@example.org")


def test_an_admin_changes_an_address_on_the_people_page(anna, admin, inbox, browser):
    update_user(anna, locale="en")
    db.session.commit()
    resp = browser(admin).post_form(
        f"/admin/people/{anna.id}",
        {
            f"person-{anna.id}-email": NEW,
            f"person-{anna.id}-hub_role": "none",
            f"person-{anna.id}-is_active": "y",
        },
    )
    assert resp.status_code == 302
    assert _fresh(anna.id).email == NEW
    (notice,) = inbox.to("anna@example.org")
    assert notice["Subject"] == "Your email address has been changed"
    assert "An administrator" in inbox.body(notice) and NEW in inbox.body(notice)
    assert inbox.to(NEW) == []
    assert _changes() == []  # the notice went: nothing about it is kept


def test_an_admin_cannot_give_away_someone_elses_address(anna, admin, inbox, browser):
    resp = browser(admin).post_form(
        f"/admin/people/{anna.id}",
        {f"person-{anna.id}-email": "ada@example.org", f"person-{anna.id}-hub_role": "none"},
    )
    assert resp.status_code == 422
    assert "Es gibt schon ein Konto mit dieser E-Mail-Adresse." in resp.get_data(as_text=True)
    assert _fresh(anna.id).email == "anna@example.org" and inbox.messages == []


def test_the_admin_api_changes_an_address(anna, admin, inbox, client, api_token):
    url = f"/api/v1/users/{anna.id}"
    resp = client.patch(url, json={"email": NEW}, headers=api_token(admin))
    assert resp.status_code == 200 and resp.get_json()["email"] == NEW
    assert len(inbox.to("anna@example.org")) == 1
    taken = client.patch(url, json={"email": "ada@example.org"}, headers=api_token(admin))
    assert taken.status_code == 409
    assert taken.get_json()["error"]["fields"] == {
        "email": "Es gibt schon ein Konto mit dieser E-Mail-Adresse."
    }
    other = client.patch(url, json={"email": "x@example.org"}, headers=api_token(anna))
    assert other.status_code == 403
    assert _fresh(anna.id).email == NEW


def test_an_admin_change_ends_a_waiting_request(anna, admin, inbox, browser, anonymous):
    _ask(browser(anna))
    link = _link(inbox, NEW)
    email_change.admin_change(_fresh(anna.id), "anna.dritte@example.org", actor=admin)
    db.session.commit()
    assert anonymous.get(link).status_code == 404
    assert _fresh(anna.id).email == "anna.dritte@example.org"


def test_a_deleted_account_leaves_no_waiting_change(anna, inbox, browser):
    me = browser(anna)
    _ask(me)
    assert len(_changes()) == 1
    resp = me.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert resp.status_code == 302
    assert _changes() == []


def test_the_account_page_and_export_show_a_waiting_change(anna, inbox, browser):
    me = browser(anna)
    _ask(me)
    page = me.get("/account").get_data(as_text=True)
    assert re.search(r"Wartet auf Bestätigung: anna\.neu@example\.org", page)
    export = me.get("/account/export")
    with zipfile.ZipFile(io.BytesIO(export.data)) as archive:
        account = json.loads(archive.read("account.json"))["account"]
    assert account["email_change_waiting"]["new_email"] == NEW
