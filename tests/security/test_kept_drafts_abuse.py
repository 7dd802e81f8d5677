"""Kept drafts cannot be used to fill the database.

A long text typed while the login ended is kept for an hour, encrypted. Only
text typed into our own form is kept: the form carries a ticket signed when
the page was shown to a logged-in person, for that page. Everything else —
made-up posts, pages that do not exist, other sites, other people's tickets,
too much text, too many drafts — gets the usual answers, and nothing is stored.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from itsdangerous import URLSafeTimedSerializer

from mediahub.core.extensions import db
from mediahub.drafts import services, web
from mediahub.drafts.models import KeptDraft
from mediahub.groups.services import load_group, set_member
from tests.conftest import PASSWORD

OURS = {"Origin": "http://hub.test"}
NEW_POST = "/groups/trauer/posts/new"
BIG = "Ich schreibe und schreibe. " * 35_000  # ~900 KB, as in the report


def _kept() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(KeptDraft))


def _ticket(client: Any, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="draft_ticket" value="([^"]+)"', html)
    assert match, "no ticket in the form"
    return match.group(1)


def _expire_login(client: Any) -> None:
    client.delete_cookie("mediahub_session")


@pytest.fixture
def anna(make_user: Any, make_group: Any) -> Any:
    user = make_user("Anna")
    make_group("trauer", members={user: "member"})
    return user


@pytest.fixture
def writing(anna: Any, browser: Any) -> tuple[Any, str]:
    """Anna's browser with the new-post form open, and its ticket; then her login ended."""
    me = browser(anna)
    ticket = _ticket(me, NEW_POST)
    _expire_login(me)
    return me, ticket


def test_a_real_expired_login_is_still_kept(writing):
    me, ticket = writing
    resp = me.post(NEW_POST, data={"draft_ticket": ticket, "body": "Mein Tag"}, headers=OURS)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
    assert _kept() == 1


#: Anonymous postings without a ticket, to pages that exist and that do not.
TARGETS = [
    NEW_POST,
    "/groups/gibt-es-nicht/posts/new",
    "/groups/gibt-es-nicht/episodes/new",
    "/posts/999999/edit",
    "/episodes/999999/edit",
]


@pytest.mark.parametrize("path", TARGETS)
def test_made_up_postings_are_not_kept(anna, anonymous, path):
    data = {"title": "Spam", "body": BIG}
    resp = anonymous.post(path, data=data, headers=OURS)
    assert resp.status_code in {302, 400, 404}
    assert _kept() == 0


def _forged(app: Any, payload: Any, *, key: str | None = None, age: int = 0) -> str:
    serializer = URLSafeTimedSerializer(
        key or app.config["SECRET_KEY"], salt="mediahub.drafts.ticket"
    )
    signer = serializer.make_signer()
    serializer.make_signer = lambda salt=None: signer  # type: ignore[method-assign]
    signer.get_timestamp = lambda: int(time.time()) - age  # type: ignore[method-assign]
    return serializer.dumps(payload)


#: Tickets that must not work: (name, ticket maker given app, anna, the valid ticket).
BAD_TICKETS = {
    "garbage": lambda app, anna, valid: "x" * 40,
    "tampered": lambda app, anna, valid: valid[:-3] + ("AAA" if valid[-3:] != "AAA" else "BBB"),
    "other key": lambda app, anna, valid: _forged(
        app, {"p": NEW_POST, "u": anna.id}, key="not-ours"
    ),
    "older than a day": lambda app, anna, valid: _forged(
        app, {"p": NEW_POST, "u": anna.id}, age=25 * 3600
    ),
    "for another page": lambda app, anna, valid: _forged(app, {"p": "/posts/1/edit", "u": anna.id}),
    "no person": lambda app, anna, valid: _forged(app, {"p": NEW_POST, "u": "1"}),
    "not a mapping": lambda app, anna, valid: _forged(app, [NEW_POST, anna.id]),
}


@pytest.mark.parametrize("case", list(BAD_TICKETS))
def test_only_our_own_tickets_for_their_own_page_count(app, anna, writing, case):
    me, valid = writing
    ticket = BAD_TICKETS[case](app, anna, valid)
    me.post(NEW_POST, data={"draft_ticket": ticket, "body": "Text"}, headers=OURS)
    assert _kept() == 0


def test_a_ticket_does_not_open_a_group_that_does_not_exist(writing):
    me, ticket = writing
    for path in ("/groups/gibt-es-nicht/posts/new", "/groups/trauer/episodes/new"):
        me.post(path, data={"draft_ticket": ticket, "body": BIG[:1000]}, headers=OURS)
    assert _kept() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "http://hub.test.evil.example"},
        {"Referer": "https://evil.example/groups/trauer/posts/new"},
        {"Origin": "http://attacker-host.invalid", "Host": "attacker-host.invalid"},
        {},
    ],
    ids=["other origin", "lookalike origin", "other referer", "forged host", "no origin"],
)
def test_postings_from_other_sites_are_not_kept(writing, headers):
    me, ticket = writing
    me.post(NEW_POST, data={"draft_ticket": ticket, "body": "Text"}, headers=headers)
    assert _kept() == 0


def test_someone_elses_ticket_is_not_kept(writing, make_user, browser):
    _me, ticket = writing
    mallory = make_user("Mallory")
    other = browser(mallory)
    other.post(NEW_POST, data={"draft_ticket": ticket, "body": "Text"}, headers=OURS)
    assert _kept() == 0


def test_too_much_text_is_not_kept(writing):
    me, ticket = writing
    me.post(NEW_POST, data={"draft_ticket": ticket, "body": BIG}, headers=OURS)
    assert _kept() == 0
    longest_post = "ä" * 100_000
    me.post(NEW_POST, data={"draft_ticket": ticket, "body": longest_post}, headers=OURS)
    assert _kept() == 1


def test_a_person_keeps_only_a_few_drafts_an_hour(writing):
    me, ticket = writing
    for n in range(8):
        me.post(NEW_POST, data={"draft_ticket": ticket, "body": f"Text {n}"}, headers=OURS)
    assert _kept() == 5  # PER_PERSON: 5 per hour


def test_one_address_keeps_only_so_many_drafts_an_hour(make_user, make_group, browser):
    people = [make_user() for _ in range(5)]
    make_group("trauer", members={p: "member" for p in people})
    for person in people:
        me = browser(person)
        ticket = _ticket(me, NEW_POST)
        _expire_login(me)
        for n in range(5):
            me.post(NEW_POST, data={"draft_ticket": ticket, "body": f"Text {n}"}, headers=OURS)
    assert _kept() == 20  # PER_CLIENT: 20 per hour from one address


def test_the_hub_keeps_only_so_many_drafts_at_once(writing, monkeypatch):
    me, ticket = writing
    monkeypatch.setattr(services, "MAX_KEPT", 2)
    for n in range(4):
        me.post(NEW_POST, data={"draft_ticket": ticket, "body": f"Text {n}"}, headers=OURS)
    assert _kept() == 2


def test_a_kept_draft_opens_only_for_its_author(writing, make_user, browser, anna):
    me, ticket = writing
    me.post(NEW_POST, data={"draft_ticket": ticket, "body": "Nur für Anna"}, headers=OURS)
    cookie = me.get_cookie(web.COOKIE)
    assert cookie is not None
    mallory = make_user("Mallory")
    set_member(load_group("trauer", None), mallory.email, "member")
    db.session.commit()
    other = browser(mallory)
    other.set_cookie(web.COOKIE, cookie.value)
    page = other.get(NEW_POST).get_data(as_text=True)
    assert "Nur für Anna" not in page
    # Still there for Anna, once.
    me.post_form("/login", {"email": anna.email, "password": PASSWORD})
    assert "Nur für Anna" in me.get(NEW_POST).get_data(as_text=True)
    assert "Nur für Anna" not in me.get(NEW_POST).get_data(as_text=True)
    assert _kept() == 0
