"""Every (state, action, role) combination of the review workflow, through
the JSON API, as a person would meet it.

The expectations are written out here from DESIGN.md's diagram and roles —
not computed with the code under test — so that a wrong rule fails.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mediahub.core.extensions import db
from mediahub.review.models import ReviewEvent
from mediahub.review.workflow import ItemState as S

ACTIONS = ["submit", "approve", "request_changes", "reject", "unpublish", "delete", "withdraw"]
ROLES = [
    "anonymous",
    "outsider",
    "other_member",
    "author",
    "group_editor",
    "group_manager",
    "hub_editor",
    "admin",
    "admin_author",
]

# Allowed moves: (state, action) → resulting state (None: the item is gone).
MOVES = {
    (S.DRAFT, "submit"): S.IN_REVIEW,
    (S.CHANGES_REQUESTED, "submit"): S.IN_REVIEW,
    (S.ARCHIVED, "submit"): S.IN_REVIEW,
    (S.IN_REVIEW, "approve"): S.PUBLISHED,
    (S.IN_REVIEW, "request_changes"): S.CHANGES_REQUESTED,
    (S.IN_REVIEW, "reject"): S.REJECTED,
    # The author takes it back from the editors to change it.
    (S.IN_REVIEW, "withdraw"): S.DRAFT,
    (S.PUBLISHED, "unpublish"): S.ARCHIVED,
    (S.SCHEDULED, "unpublish"): S.ARCHIVED,
    **{(s, "delete"): None for s in S if s not in {S.PUBLISHED, S.SCHEDULED}},
}
REVIEWERS = {"group_editor", "group_manager", "hub_editor", "admin", "admin_author"}
WHO_MAY = {
    "submit": {"author", "admin", "admin_author"},
    "approve": REVIEWERS,
    "request_changes": REVIEWERS,
    "reject": REVIEWERS,
    "unpublish": REVIEWERS | {"author"},
    "delete": {"author", "group_manager", "admin", "admin_author"},
    # As for submitting: the author, admins on the author's behalf.
    "withdraw": {"author", "admin", "admin_author"},
}
# Who sees an unpublished item: its author and the group's reviewers.
SEES_UNPUBLISHED = REVIEWERS | {"author"}


def expected(state: S, action: str, role: str, kind: str) -> tuple[int, S | None]:
    if role == "anonymous":
        return 401, state
    if state != S.PUBLISHED and role not in SEES_UNPUBLISHED:
        return 404, state
    if role not in WHO_MAY[action]:
        return 403, state
    if (state, action) not in MOVES:
        return 409, state
    if action == "delete":
        return 204, None
    return 200, MOVES[(state, action)]


@pytest.fixture
def cast(make_user, make_group):
    users = {r: make_user(r.replace("_", " ").title()) for r in ROLES if r != "anonymous"}
    for name in ("hub_editor",):
        users[name].hub_role = "editor"
    users["admin"].hub_role = "admin"
    users["admin_author"].hub_role = "admin"
    db.session.commit()
    make_group("elsewhere", members={users["outsider"]: "member"})
    group = make_group(
        "grief",
        members={
            users["author"]: "member",
            users["other_member"]: "member",
            users["group_editor"]: "editor",
            users["group_manager"]: "manager",
            users["admin_author"]: "member",
        },
    )
    return group, users


@pytest.mark.parametrize("kind", ["episodes", "posts"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", list(S))
def test_transition(client, cast, api_token, make_episode, make_post, kind, role, action, state):
    group, users = cast
    author = users["admin_author"] if role == "admin_author" else users["author"]
    item = (make_episode if kind == "episodes" else make_post)(group, author)
    item.status = state
    if state == S.SCHEDULED:
        item.publish_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    db.session.commit()
    item_id, item_cls = item.id, type(item)
    headers = api_token(users[role]) if role != "anonymous" else {}
    body = {"comment": "Bitte den Anfang kürzen."}
    if action in {"approve", "request_changes", "reject"}:
        body["decision"] = action
    path = f"/api/v1/{kind}/{item_id}"
    if action == "delete":
        resp = client.delete(path, headers=headers)
    else:
        endpoint = "review" if "decision" in body else action
        resp = client.post(f"{path}/{endpoint}", json=body, headers=headers)

    status, new_state = expected(state, action, role, kind)
    assert resp.status_code == status, resp.get_json()
    if status >= 400:
        assert resp.get_json()["error"]["message"]
    db.session.expire_all()
    stored = db.session.get(item_cls, item_id)
    if new_state is None:
        assert stored is None
    else:
        assert stored.status == new_state
    events = db.session.scalars(
        db.select(ReviewEvent).filter_by(item_id=item_id, item_type=kind[:-1])
    ).all()
    if status < 300:
        assert len(events) == 1
        assert events[0].actor_id == users[role].id
        assert events[0].from_state == state
        assert events[0].is_self_review == (role == "admin_author" and action == "approve")
    else:
        assert events == []
