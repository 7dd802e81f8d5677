"""Every notification mail says why it came and can be stopped with one
click (RFC 8058): the link in the footer and the List-Unsubscribe headers,
delivered through a real SMTP server."""

from __future__ import annotations

import re

import pytest

from mediahub.accounts.models import User
from mediahub.core.extensions import db
from mediahub.posts.models import Post
from mediahub.review import services as review


@pytest.fixture
def submitted(team, make_post):
    """Anna sends a post in; Eva (German) and Mia (English) are told."""
    anna, _eva, _mia, group = team
    post = make_post(group, anna, title="Mein Weg")
    review.submit(post, anna)
    db.session.commit()
    return team


def _stop_link(inbox, address):
    (mail,) = inbox.to(address)
    links = re.findall(r"http://hub\.test(/\S+)", inbox.body(mail))
    return mail, links[-1]


def _notifications_on(user_id):
    db.session.expire_all()
    return db.session.get(User, user_id).email_notifications


def test_the_mail_says_why_it_came_and_how_to_stop_it(submitted, inbox):
    mail, link = _stop_link(inbox, "eva@example.org")
    body = inbox.body(mail)
    assert "weil Sie in der Gruppe „Trauer“ Eingereichtes prüfen" in body
    assert "Hier können Sie sie abbestellen:" in body
    assert link.startswith("/unsubscribe/")
    # Exactly as written, never MIME-encoded: mail programs read it raw.
    raw = dict(mail.raw_items())
    assert raw["List-Unsubscribe"] == f"<http://hub.test{link}>"
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    english, _ = _stop_link(inbox, "mia@example.org")
    assert "You get it because you review what is sent in for the group" in inbox.body(english)


def test_authors_are_told_it_is_because_the_item_is_theirs(submitted, inbox):
    _anna, eva, _mia, _group = submitted
    post = db.session.scalars(db.select(Post)).one()
    review.approve(post, eva)
    db.session.commit()
    mail, link = _stop_link(inbox, "anna@example.org")
    assert "weil der Beitrag von Ihnen ist" in inbox.body(mail)
    assert mail["List-Unsubscribe"] == f"<http://hub.test{link}>"


def test_one_click_post_turns_them_off_without_login_or_csrf(submitted, inbox, anonymous):
    _anna, eva, _mia, _group = submitted
    _mail, link = _stop_link(inbox, "eva@example.org")

    # Opening the link (or a mail scanner following it) changes nothing.
    page = anonymous.get(link)
    assert page.status_code == 200
    assert "E-Mail-Benachrichtigungen abbestellen?" in page.get_data(as_text=True)
    assert 'name="csrf_token"' not in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert _notifications_on(eva.id)

    # What a mail program sends for the one-click button (RFC 8058).
    done = anonymous.post(link, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    text = done.get_data(as_text=True)
    assert "E-Mail-Benachrichtigungen sind aus" in text
    assert "auf Ihrer Kontoseite" in text  # how to turn them on again
    assert not _notifications_on(eva.id)
    # Doing it twice is fine.
    assert anonymous.post(link).status_code == 200


def test_the_page_speaks_the_visitors_language(submitted, inbox, anonymous):
    _mail, link = _stop_link(inbox, "eva@example.org")
    page = anonymous.get(link, headers={"Accept-Language": "en"})
    assert "Stop notification mails?" in page.get_data(as_text=True)


def test_a_tampered_link_is_not_found(submitted, inbox, anonymous):
    _anna, eva, mia, _group = submitted
    _mail, link = _stop_link(inbox, "eva@example.org")
    _, mias_link = _stop_link(inbox, "mia@example.org")
    eva_token, mia_token = link.rsplit("/", 1)[1], mias_link.rsplit("/", 1)[1]
    forged = [
        eva_token[:-2] + ("AA" if not eva_token.endswith("AA") else "BB"),  # bad signature
        f"{mia_token.split('.')[0]}.{eva_token.split('.')[1]}",  # Mia's id, Eva's signature
        "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.abc",  # a huge id, unsigned
        "nonsense",
    ]
    for token in forged:
        resp = anonymous.post(f"/unsubscribe/{token}")
        assert resp.status_code == 404, token
        assert "nicht (mehr) gültig" in resp.get_data(as_text=True)
    assert _notifications_on(eva.id) and _notifications_on(mia.id)


def test_after_an_email_change_the_old_link_no_longer_works(submitted, inbox, anonymous):
    _anna, eva, _mia, _group = submitted
    _mail, link = _stop_link(inbox, "eva@example.org")
    eva.email = "eva.neu@example.org"
    db.session.commit()
    assert anonymous.get(link).status_code == 404
    assert anonymous.post(link).status_code == 404
    assert _notifications_on(eva.id)


def test_a_later_submission_is_not_mailed_after_one_click(submitted, inbox, anonymous, make_post):
    anna, _eva, _mia, group = submitted
    _mail, link = _stop_link(inbox, "eva@example.org")
    anonymous.post(link)
    inbox.messages.clear()
    review.submit(make_post(group, anna, title="Zweiter"), anna)
    db.session.commit()
    assert [m["X-Envelope-To"] for m in inbox.messages] == ["mia@example.org"]
