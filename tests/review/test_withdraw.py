"""An author takes an item back from the editors (→ draft), changes it and
sends it again: an audit row and a signal, on the web and in the API."""

from __future__ import annotations

import pytest

from mediahub.core import signals
from mediahub.core.extensions import db
from mediahub.review import services
from mediahub.review.models import ReviewEvent
from mediahub.review.workflow import ItemState as S


@pytest.fixture
def team(make_user, make_group):
    anna = make_user("Anna")
    eva = make_user("Eva")
    group = make_group("trauer", members={anna: "member", eva: "editor"})
    return anna, eva, group


@pytest.fixture(params=["episodes", "posts"])
def submitted(request, team, make_episode, make_post):
    anna, _eva, group = team
    make = make_episode if request.param == "episodes" else make_post
    item = make(group, anna, title="Mein Winter")
    services.submit(item, anna)
    db.session.commit()
    return request.param, item


def _events(item) -> list[ReviewEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(ReviewEvent)
            .filter_by(item_type=item.item_type, item_id=item.id)
            .order_by(ReviewEvent.id)
        )
    )


def test_the_author_takes_it_back_on_the_web_and_edits_it(team, submitted, browser):
    anna, _eva, _group = team
    kind, item = submitted
    me = browser(anna)
    page = me.get(f"/{kind}/{item.id}").get_data(as_text=True)
    assert "Zurückholen" in page
    assert f'href="/{kind}/{item.id}/edit"' not in page  # with the editors: not editable
    received = []

    def listener(sender, **kw):
        received.append((sender.id, kw["actor"].id, kw["event"].action))

    with signals.item_withdrawn.connected_to(listener):
        resp = me.post_form(f"/{kind}/{item.id}/withdraw", {})
    assert resp.status_code == 302
    page = me.get(resp.headers["Location"]).get_data(as_text=True)
    assert "zurückgeholt" in page.lower()
    db.session.expire_all()
    assert db.session.get(type(item), item.id).status == S.DRAFT
    assert received == [(item.id, anna.id, "withdraw")]
    last = _events(item)[-1]
    assert (last.action, last.from_state, last.to_state, last.actor_id) == (
        "withdraw",
        S.IN_REVIEW,
        S.DRAFT,
        anna.id,
    )
    assert f'href="/{kind}/{item.id}/edit"' in page
    assert me.get(f"/{kind}/{item.id}/edit").status_code == 200


def test_the_editors_queue_no_longer_lists_it(team, submitted, browser, api_token, client):
    anna, eva, _group = team
    kind, item = submitted
    assert len(client.get("/api/v1/review-queue", headers=api_token(eva)).get_json()) == 1
    resp = client.post(f"/api/v1/{kind}/{item.id}/withdraw", headers=api_token(anna))
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "draft"
    assert "edit" in resp.get_json()["actions"]
    assert client.get("/api/v1/review-queue", headers=api_token(eva)).get_json() == []
    # An editor cannot decide on it any more, and a second withdrawal is a conflict.
    decided = client.post(
        f"/api/v1/{kind}/{item.id}/review", json={"decision": "approve"}, headers=api_token(eva)
    )
    assert decided.status_code == 409
    again = client.post(f"/api/v1/{kind}/{item.id}/withdraw", headers=api_token(anna))
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "invalid_state"


def test_editors_cannot_take_it_back_for_the_author(team, submitted, api_token, client):
    _anna, eva, _group = team
    kind, item = submitted
    resp = client.post(f"/api/v1/{kind}/{item.id}/withdraw", headers=api_token(eva))
    assert resp.status_code == 403
    assert _events(item)[-1].action == "submit"


def test_the_history_names_the_step(team, submitted, browser):
    anna, _eva, _group = team
    kind, item = submitted
    me = browser(anna)
    me.post_form(f"/{kind}/{item.id}/withdraw", {})
    page = me.get(f"/{kind}/{item.id}").get_data(as_text=True)
    assert "Zurückgeholt" in page


def test_the_openapi_describes_the_withdrawal(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for kind in ("episodes", "posts"):
        operation = spec["paths"][f"/api/v1/{kind}/{{item_id}}/withdraw"]["post"]
        assert "draft" in operation["summary"].lower() + operation.get("description", "").lower()
