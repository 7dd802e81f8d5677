"""Review notifications reach the right people, in their language, through a
real SMTP server; they name the item by title and link to it."""

from __future__ import annotations

import datetime as dt

import pytest

from mediahub.accounts.services import update_user
from mediahub.core.extensions import db
from mediahub.core.mailer import MailNotSent, OutgoingMail, deliver
from mediahub.review import services as review


def test_a_submission_is_mailed_to_the_groups_editors_in_their_language(team, inbox, make_post):
    anna, _eva, _mia, group = team
    post = make_post(group, anna, title="Mein Weg", body="Sehr persönlicher Text")
    review.submit(post, anna)
    db.session.commit()

    assert {m["X-Envelope-To"] for m in inbox.messages} == {"eva@example.org", "mia@example.org"}
    (german,) = inbox.to("eva@example.org")
    assert german["Subject"] == "Neuer Beitrag zum Prüfen: Mein Weg"
    assert "Hallo Eva," in inbox.body(german)
    assert "Anna" in inbox.body(german) and "„Trauer“" in inbox.body(german)
    assert inbox.link(german) == f"/review/posts/{post.id}"
    (english,) = inbox.to("mia@example.org")
    assert english["Subject"] == "New post to review: Mein Weg"
    assert "Hello Mia," in inbox.body(english)
    # Only the title: never the text itself.
    assert all("persönlicher" not in inbox.body(m) for m in inbox.messages)
    assert all(m["From"] == "MediaHub <noreply@hub.test>" for m in inbox.messages)


def test_without_group_editors_the_hub_editors_are_told(inbox, make_user, make_group, make_post):
    anna = make_user("Anna")
    make_user("Hub editor", hub_role="editor", email="hub-editor@example.org")
    group = make_group(members={anna: "member"})
    review.submit(make_post(group, anna, title="Hallo"), anna)
    db.session.commit()
    assert [m["X-Envelope-To"] for m in inbox.messages] == ["hub-editor@example.org"]


def test_every_decision_is_mailed_to_the_author(team, inbox, make_post):
    anna, eva, _mia, group = team
    post = make_post(group, anna, title="Mein Weg")
    review.submit(post, anna)
    db.session.commit()
    inbox.messages.clear()

    review.request_changes(post, eva, comment="Bitte den zweiten Absatz kürzen.")
    db.session.commit()
    (mail,) = inbox.to("anna@example.org")
    assert mail["Subject"] == "Bitte noch einmal ansehen: Mein Weg"
    assert "Bitte den zweiten Absatz kürzen." in inbox.body(mail)
    assert inbox.link(mail) == f"/posts/{post.id}"

    review.submit(post, anna)
    review.approve(post, eva, publish_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    db.session.commit()
    assert inbox.to("anna@example.org")[-1]["Subject"] == "Freigegeben: Mein Weg"

    review.unpublish(post, eva, comment="")
    db.session.commit()
    assert inbox.to("anna@example.org")[-1]["Subject"] == "Offline genommen: Mein Weg"

    review.submit(post, anna)
    review.reject(post, eva, comment="Passt nicht.")
    db.session.commit()
    assert inbox.to("anna@example.org")[-1]["Subject"] == "Nicht veröffentlicht: Mein Weg"

    other = make_post(group, anna, title="Zweiter")
    review.submit(other, anna)
    review.approve(other, eva)
    db.session.commit()
    assert inbox.to("anna@example.org")[-1]["Subject"] == "Veröffentlicht: Zweiter"
    # Eva is never told about her own decisions.
    assert all("Eva" not in m["X-Envelope-To"] for m in inbox.to("eva@example.org")[1:])


def test_nothing_is_sent_when_the_transaction_is_rolled_back(team, inbox, make_post):
    anna, _eva, _mia, group = team
    post = make_post(group, anna)
    review.submit(post, anna)
    db.session.rollback()
    assert inbox.messages == []


def test_an_unreachable_server_raises_so_that_the_task_retries(app, app_config):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False, MAIL_TIMEOUT=2)
    with pytest.raises(MailNotSent):
        deliver(OutgoingMail(to="a@example.org", subject="x", text="y"))


def test_without_a_mail_server_the_mail_is_only_logged(app, caplog):
    caplog.set_level("INFO", logger="mediahub.mail")
    deliver(OutgoingMail(to="a@example.org", subject="Secret subject", text="body text"))
    assert "MAIL_SERVER is not set" in caplog.text
    assert "body text" not in caplog.text
    app.config["ENV"] = "development"
    deliver(OutgoingMail(to="a@example.org", subject="Hello", text="body text"))
    assert "body text" in caplog.text


def test_people_who_turned_notifications_off_get_none(team, inbox, make_post):
    anna, eva, mia, group = team
    update_user(eva, email_notifications=False)
    update_user(anna, email_notifications=False)
    db.session.commit()

    post = make_post(group, anna, title="Mein Weg")
    review.submit(post, anna)
    db.session.commit()
    assert [m["X-Envelope-To"] for m in inbox.messages] == ["mia@example.org"]

    review.request_changes(post, mia, comment="Bitte kürzen.")
    db.session.commit()
    assert inbox.to("anna@example.org") == []

    update_user(anna, email_notifications=True)
    db.session.commit()
    review.submit(post, anna)
    review.reject(post, mia, comment="Passt nicht.")
    db.session.commit()
    (mail,) = inbox.to("anna@example.org")
    assert mail["Subject"] == "Nicht veröffentlicht: Mein Weg"
    assert inbox.to("eva@example.org") == []


def test_turning_them_off_also_stops_mails_already_queued(team, inbox, make_post):
    anna, eva, _mia, group = team
    post = make_post(group, anna)
    review.submit(post, anna)  # Eva's mail is queued here...
    update_user(eva, email_notifications=False)  # ...and she turns them off before it goes.
    db.session.commit()
    assert inbox.to("eva@example.org") == []
    assert len(inbox.to("mia@example.org")) == 1


def test_invitations_still_come_when_notifications_are_off(team, inbox, make_user, browser):
    _anna, _eva, mia, group = team
    otto = make_user("Otto", email="otto@example.org")
    update_user(otto, email_notifications=False)
    db.session.commit()
    resp = browser(mia).post_form(
        f"/groups/{group.slug}/invitations", {"email": "otto@example.org", "role": "member"}
    )
    assert resp.status_code == 302
    (invitation,) = inbox.to("otto@example.org")
    assert "Trauer" in invitation["Subject"]
    assert "List-Unsubscribe" not in invitation
