"""Secret feed addresses on the manage page of a private group."""

from __future__ import annotations

import re

from mediahub.core.extensions import db
from mediahub.groups.feed_tokens import group_for_secret
from mediahub.groups.models import FeedToken


def test_secret_address_is_shown_once_and_can_be_revoked(make_user, make_group, browser):
    mia = make_user("Mia")
    make_group("geheim", name="Geheim", visibility="private", members={mia: "manager"})
    manager = browser(mia)
    page = manager.get("/groups/geheim/manage").get_data(as_text=True)
    assert "Geheime Feed-Adressen" in page

    assert manager.post_form("/groups/geheim/feed-tokens", {"label": ""}).status_code == 422
    posted = manager.post_form("/groups/geheim/feed-tokens", {"label": "Annas Handy"})
    # Post/redirect/get: the address is shown on the page the redirect leads to.
    assert posted.status_code == 303
    assert posted.headers["Location"].endswith("/groups/geheim/manage#new-feed-h")
    resp = manager.get("/groups/geheim/manage")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    html = resp.get_data(as_text=True)
    assert 'data-copy="new-feed-url"' in html  # a copy button for it
    url = re.search(r'id="new-feed-url"[^>]*value="([^"]+)"', html).group(1)
    assert url.startswith("http://hub.test/feeds/geheim/private/")
    secret = url.split("/private/")[1].split("/")[0]
    assert group_for_secret("geheim", secret) is not None
    db.session.commit()  # it noted the day of use

    later = manager.get("/groups/geheim/manage").get_data(as_text=True)  # a reload
    assert "Annas Handy" in later
    assert db.session.scalar(db.select(db.func.count(FeedToken.id))) == 1  # no second one
    assert "noch nicht" not in later  # used today
    assert secret not in later  # never shown again

    token = db.session.scalar(db.select(FeedToken))
    confirm = manager.get(f"/groups/geheim/feed-tokens/{token.id}/revoke")
    assert "„Annas Handy“ abschalten?" in confirm.get_data(as_text=True)
    assert db.session.scalar(db.select(FeedToken)) is not None  # only asked
    done = manager.post_form(f"/groups/geheim/feed-tokens/{token.id}/revoke")
    assert done.status_code == 302
    db.session.expire_all()
    assert group_for_secret("geheim", secret) is None


def test_public_groups_have_no_secret_addresses(make_user, make_group, browser):
    mia = make_user("Mia")
    make_group("offen", members={mia: "manager"})
    manager = browser(mia)
    assert "Geheime Feed-Adressen" not in manager.get("/groups/offen/manage").get_data(as_text=True)
    assert manager.post_form("/groups/offen/feed-tokens", {"label": "x"}).status_code == 422


def test_members_cannot_see_or_revoke_addresses(make_user, make_group, browser):
    mia, anna = make_user("Mia"), make_user("Anna")
    make_group("geheim", visibility="private", members={mia: "manager", anna: "member"})
    browser(mia).post_form("/groups/geheim/feed-tokens", {"label": "x"})
    token = db.session.scalar(db.select(FeedToken))
    member = browser(anna)
    assert member.get(f"/groups/geheim/feed-tokens/{token.id}/revoke").status_code == 403
    assert member.post_form(f"/groups/geheim/feed-tokens/{token.id}/revoke").status_code == 403
