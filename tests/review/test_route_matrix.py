"""Who gets what: every HTML page of the publishing core for every kind of person.

404 where the person may not even see the thing (a private group, an item
that is not theirs), 403 where they see it but may not do this, a redirect
to the login page for anonymous visitors.
"""

from __future__ import annotations

import pytest

from mediahub.core.extensions import db
from mediahub.review import services as review

ROLES = (
    "anonymous",
    "outsider",  # member of another group
    "member",  # of the private group, not the author
    "author",  # member who wrote the items
    "group_editor",
    "group_manager",
    "hub_editor",
    "admin",
)

# L = redirect to the login page. Items are in review, in the private group "closed".
#                                    anon outs memb auth gedi gman hedi admin
GET_PAGES = {
    "/my": "                          L    200  200  200  200  200  200  200",
    "/review": "                      L    200  200  200  200  200  200  200",
    "/groups/closed/posts/new": "     L    404  200  200  200  200  403  200",
    "/groups/closed/episodes/new": "  L    404  200  200  200  200  403  200",
    "/posts/{post}": "                L    404  404  200  200  200  200  200",
    "/posts/{post}/edit": "           L    404  404  403  200  200  200  200",
    "/posts/{post}/delete": "         L    404  404  200  403  200  403  200",
    "/review/posts/{post}": "         L    404  404  403  200  200  200  200",
    "/episodes/{episode}": "          L    404  404  200  200  200  200  200",
    "/episodes/{episode}/edit": "     L    404  404  403  200  200  200  200",
    "/episodes/{episode}/delete": "   L    404  404  200  403  200  403  200",
    "/review/episodes/{episode}": "   L    404  404  403  200  200  200  200",
    "/groups/closed/manage": "        L    404  403  403  403  200  403  200",
    "/groups/open/manage": "          L    403  403  403  403  403  403  200",
    "/admin/": "                      L    403  403  403  403  403  403  200",
    "/admin/people": "                L    403  403  403  403  403  403  200",
    "/admin/groups": "                L    403  403  403  403  403  403  200",
}

# Changes, each on its own item: (path, form data, expected per role).
POSTS = {
    "decide": (
        "/review/posts/{post}",
        {"decision": "request_changes", "changes-comment": "Bitte kürzen."},
        "L 404 404 403 302 302 302 302",
    ),
    "submit": ("/posts/{draft_to_submit}/submit", {}, "L 404 404 302 403 403 403 302"),
    "unpublish": ("/posts/{published}/unpublish", {}, "L 404 403 302 302 302 302 302"),
    "delete": ("/posts/{draft_to_delete}/delete", {}, "L 404 404 302 403 302 403 302"),
    "edit": (
        "/posts/{draft_to_edit}/edit",
        {"title": "Neu", "body": ""},
        "L 404 404 302 302 302 302 302",
    ),
    "add member": (
        "/groups/closed/members",
        {"email": "outsider@example.org", "role": "member"},
        "L 404 403 403 403 302 403 302",
    ),
    "create group": (
        "/admin/groups",
        {"name": "Neu", "slug": "neu", "language": "de", "category": "other"},
        "L 403 403 403 403 403 403 302",
    ),
}


def _expected(row: str) -> dict[str, str]:
    codes = row.split()
    assert len(codes) == len(ROLES), row
    return dict(zip(ROLES, codes, strict=True))


@pytest.fixture
def world(make_user, make_group, make_post, make_episode, audio_asset):
    """The private group "closed" with one person per role and items of the
    author in every interesting state; the outsider belongs to "open"."""
    hub_roles = {"hub_editor": "editor", "admin": "admin"}
    users = {
        role: make_user(
            role.replace("_", " ").title(),
            email=f"{role}@example.org",
            hub_role=hub_roles.get(role, "none"),
        )
        for role in ROLES[1:]
    }
    closed = make_group(
        "closed",
        visibility="private",
        members={
            users["member"]: "member",
            users["author"]: "member",
            users["group_editor"]: "editor",
            users["group_manager"]: "manager",
        },
    )
    make_group("open", members={users["outsider"]: "member"})
    author = users["author"]
    names = ("post", "published", "draft_to_submit", "draft_to_delete", "draft_to_edit")
    posts = {name: make_post(closed, author, title=name) for name in names}
    episode = make_episode(closed, author, audio=False)
    episode.audio = audio_asset()
    for item in (posts["post"], episode, posts["published"]):
        review.submit(item, author)
    review.approve(posts["published"], users["admin"])
    db.session.commit()
    ids = {name: post.id for name, post in posts.items()}
    return users, {**ids, "episode": episode.id}


def _browser(role, users, browser, anonymous):
    return anonymous if role == "anonymous" else browser(users[role])


def _check(resp, expected: str) -> str | None:
    if expected == "L":
        ok = resp.status_code == 302 and "/login" in resp.headers["Location"]
    else:
        ok = resp.status_code == int(expected)
    return None if ok else f"{resp.status_code} (expected {expected})"


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role_as_the_predicates_say(role, world, browser, anonymous):
    users, ids = world
    visitor = _browser(role, users, browser, anonymous)
    wrong = {}
    for path, row in GET_PAGES.items():
        url = path.format(**ids)
        problem = _check(visitor.get(url), _expected(row)[role])
        if problem:
            wrong[url] = problem
    assert not wrong, f"{role}: {wrong}"


@pytest.mark.parametrize("role", ROLES)
def test_changes_answer_each_role_as_the_predicates_say(role, world, browser, anonymous):
    users, ids = world
    visitor = _browser(role, users, browser, anonymous)
    wrong = {}
    for action, (path, data, row) in POSTS.items():
        problem = _check(visitor.post_form(path.format(**ids), data), _expected(row)[role])
        if problem:
            wrong[action] = problem
    assert not wrong, f"{role}: {wrong}"
