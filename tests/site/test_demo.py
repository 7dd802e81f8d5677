"""The demo hub loads, twice without duplicates, through the real services."""

from __future__ import annotations

from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.groups.models import Group
from mediahub.posts.models import Post
from mediahub.review.workflow import ItemState
from mediahub.site.demo import DEMO_PASSWORD, PEOPLE, load_demo


def test_demo_is_idempotent_and_shows_every_state(app, client):
    lines: list[str] = []
    load_demo(echo=lines.append)
    load_demo(echo=lines.append)
    assert db.session.scalar(db.select(db.func.count(Group.id))) == 3
    episodes = db.session.scalars(db.select(Episode)).all()
    assert [e.status for e in episodes] == [ItemState.PUBLISHED]
    assert episodes[0].audio.is_ready
    statuses = sorted(p.status for p in db.session.scalars(db.select(Post)))
    assert statuses == sorted([ItemState.PUBLISHED, ItemState.DRAFT, ItemState.IN_REVIEW])
    for email, _name, _role in PEOPLE:
        assert any(email in line for line in lines)
        resp = client.post("/api/v1/tokens", json={"email": email, "password": DEMO_PASSWORD})
        assert resp.status_code == 201
    page = client.get("/groups/trauer-hamburg/").get_data(as_text=True)
    assert "Warum ich zum Trauercafé gehe" in page
    # The crisis line in the footer of every page, as phone links.
    assert 'href="tel:+498001110111"' in page and 'href="tel:+498001110222"' in page
