"""Invitations: the mail with its one-time link, a new account or an existing
one, reuse and expiry refused; the managers' list and the API."""

from __future__ import annotations

import datetime as dt

import pytest

from mediahub.accounts.models import User
from mediahub.core.extensions import db
from mediahub.groups.models import GroupRole, Invitation
from mediahub.groups.services import group_by_slug, membership
from tests.conftest import PASSWORD


@pytest.fixture
def mia(inbox, make_user, make_group):
    mia = make_user("Mia")
    make_group("trauer", name="Trauer", members={mia: "manager"})
    return mia


def _invite(browser, mia, email="neu@example.org", role="editor"):
    resp = browser(mia).post_form("/groups/trauer/invitations", {"email": email, "role": role})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:400]


def test_invitation_end_to_end_with_a_new_account(mia, browser, anonymous, inbox):
    _invite(browser, mia)
    (mail,) = inbox.to("neu@example.org")
    assert mail["Subject"] == "Einladung in die Gruppe „Trauer“"
    assert "als: Redaktion" in inbox.body(mail) or "als: " in inbox.body(mail)
    link = inbox.link(mail)
    assert link.startswith("/invitations/") and len(link) > 40

    page = anonymous.get(link)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "neu@example.org" in page.get_data(as_text=True)
    resp = anonymous.post_form(
        link, {"display_name": "Stern", "password": "kurz", "confirm": "kurz"}
    )
    assert resp.status_code == 422  # the password rules apply
    resp = anonymous.post_form(
        link, {"display_name": "Stern", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert resp.status_code == 302
    # Logged in at once, and a member with the invited role.
    assert "Stern" in anonymous.get("/my").get_data(as_text=True)
    user = db.session.scalar(db.select(User).where(User.email == "neu@example.org"))
    assert membership(group_by_slug("trauer"), user).role == GroupRole.EDITOR

    # The link is used up.
    again = browser(mia).get(link)
    assert again.status_code == 404
    assert "nicht (mehr) gültig" in again.get_data(as_text=True)


def test_an_existing_account_joins_after_logging_in(mia, make_user, browser, anonymous, inbox):
    anna = make_user("Anna", email="anna@example.org")
    _invite(browser, mia, email="anna@example.org", role="member")
    link = inbox.link(inbox.to("anna@example.org")[0])
    page = anonymous.get(link).get_data(as_text=True)
    assert "Bitte melden Sie sich damit an" in page
    # Without logging in, no account can be made for a taken address.
    assert anonymous.post_form(link, {"display_name": "X"}).status_code == 200
    logged_in = browser(anna)
    assert logged_in.post_form(link, {}).status_code == 302
    assert membership(group_by_slug("trauer"), anna).role == GroupRole.MEMBER


def test_expired_resent_and_withdrawn_links_are_refused(mia, browser, anonymous, inbox):
    _invite(browser, mia)
    first = inbox.link(inbox.messages[-1])
    row = db.session.scalar(db.select(Invitation))
    row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.session.commit()
    assert anonymous.get(first).status_code == 404

    manager = browser(mia)
    page = manager.get("/groups/trauer/manage").get_data(as_text=True)
    assert "neu@example.org" in page and "Abgelaufen" in page
    assert manager.post_form(f"/groups/trauer/invitations/{row.id}/resend").status_code == 302
    second = inbox.link(inbox.messages[-1])
    assert second != first
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200

    assert manager.post_form(f"/groups/trauer/invitations/{row.id}/withdraw").status_code == 302
    assert anonymous.get(second).status_code == 404
    assert db.session.scalar(db.select(Invitation)) is None


def test_members_cannot_invite_and_members_are_not_invited_twice(
    mia, make_user, make_group, browser
):
    anna = make_user("Anna", email="anna@example.org")
    make_group("andere", members={anna: "member"})
    assert browser(anna).post_form(
        "/groups/trauer/invitations", {"email": "x@example.org", "role": "member"}
    ).status_code in {403, 404}
    resp = browser(mia).post_form(
        "/groups/trauer/invitations", {"email": mia.email, "role": "member"}
    )
    assert resp.status_code == 422
    assert "gehört schon zur Gruppe" in resp.get_data(as_text=True)
    resp = browser(mia).post_form("/groups/trauer/invitations", {"email": "kaputt", "role": "x"})
    assert resp.status_code == 422


def test_invitations_api(mia, make_user, api_token, client, inbox):
    headers = api_token(mia)
    resp = client.post(
        "/api/v1/groups/trauer/invitations",
        json={"email": "Neu@Example.org", "role": "manager"},
        headers=headers,
    )
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["email"] == "neu@example.org" and body["role"] == "manager"
    assert body["sent_at"] is not None  # the queue runs inline in tests
    assert "token" not in str(body)
    assert len(inbox.to("neu@example.org")) == 1
    listed = client.get("/api/v1/groups/trauer/invitations", headers=headers).json
    assert [i["id"] for i in listed] == [body["id"]]

    bad = client.post(
        "/api/v1/groups/trauer/invitations", json={"email": "kaputt"}, headers=headers
    )
    assert bad.status_code == 422
    stranger = api_token(make_user("Fremd"))
    assert (
        client.post(
            "/api/v1/groups/trauer/invitations", json={"email": "a@example.org"}, headers=stranger
        ).status_code
        == 403
    )
    gone = client.delete(f"/api/v1/groups/trauer/invitations/{body['id']}", headers=headers)
    assert gone.status_code == 204
    again = client.delete(f"/api/v1/groups/trauer/invitations/{body['id']}", headers=headers)
    assert again.status_code == 404
