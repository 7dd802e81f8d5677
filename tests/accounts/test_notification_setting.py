"""The account page's setting for notification mails."""

from __future__ import annotations

import re

from mediahub.accounts.models import User
from mediahub.accounts.services import update_user
from mediahub.core.extensions import db


def _setting(user_id):
    db.session.expire_all()
    return db.session.get(User, user_id).email_notifications


def _checkbox(html):
    return re.search(r'<input[^>]*name="email_notifications"[^>]*>', html).group(0)


def test_turning_notification_mails_off_and_on_again(make_user, browser):
    anna = make_user("Anna")
    me = browser(anna)
    page = me.get("/account").get_data(as_text=True)
    assert "E-Mail-Benachrichtigungen" in page
    assert "Mir E-Mails zu Einreichungen und Entscheidungen der Redaktion schicken" in page
    assert "checked" in _checkbox(page)

    off = me.post_form("/account/notifications", {}, follow_redirects=True)
    assert off.status_code == 200 and off.request.path == "/account"
    html = off.get_data(as_text=True)
    assert "Sie bekommen keine E-Mail-Benachrichtigungen mehr." in html
    assert "checked" not in _checkbox(html)
    assert _setting(anna.id) is False

    on = me.post_form("/account/notifications", {"email_notifications": "y"}, follow_redirects=True)
    assert "Sie bekommen wieder E-Mail-Benachrichtigungen." in on.get_data(as_text=True)
    assert _setting(anna.id) is True


def test_the_setting_speaks_english_too(make_user, browser):
    anna = make_user("Anna")
    update_user(anna, locale="en")
    db.session.commit()
    me = browser(anna)
    page = me.get("/account").get_data(as_text=True)
    assert "Email notifications" in page
    assert "Mail me about submissions and review decisions" in page
    off = me.post_form("/account/notifications", {}, follow_redirects=True)
    assert "You will no longer get notification mails." in off.get_data(as_text=True)


def test_the_setting_needs_a_login_and_the_csrf_token(make_user, browser, anonymous):
    anna = make_user("Anna")
    resp = anonymous.post_form("/account/notifications", {})
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    # A page elsewhere cannot switch it off with a forged form.
    assert browser(anna).post("/account/notifications", data={}).status_code == 400
    assert _setting(anna.id) is True
