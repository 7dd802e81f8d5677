"""Unlisted means not listed, and taking something back takes effect at once.

Lists of groups (the API's, the directory and its search, the sitemap, the
hub's feeds) show outsiders public groups only; an unlisted group is reached
by its address. And when a group leaves public view, an item goes offline,
or a person withdraws their name, the public feed files change in the same
request — while the worker is still busy elsewhere — so neither our feed responder
nor an nginx serving ``FEEDS_ROOT/public`` directly keeps showing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mediahub.core.extensions import db
from tests.conftest import PASSWORD, close_every_answer

GROUPS = {"offen": "public", "versteckt": "unlisted", "geheim": "private"}
NAMES = {"offen": "Offene Runde", "versteckt": "Versteckte Runde", "geheim": "Geheime Runde"}


@pytest.fixture
def app_config(app_config: dict[str, Any], request: pytest.FixtureRequest) -> dict[str, Any]:
    if "backlog" in request.fixturenames:
        app_config["QUEUE_IMMEDIATE"] = False
    return app_config


@pytest.fixture
def hub(make_user, make_group, make_episode, make_post, api_token) -> dict[str, Any]:
    """A public, an unlisted and a private group, each with a published
    episode and post by a credited member who also manages the group."""
    from mediahub.accounts.services import update_user
    from mediahub.review import services as review

    author, admin = make_user("Sonnenblume"), make_user("Admin", hub_role="admin")
    update_user(author, is_credited=True)
    groups, items = {}, {}
    for slug, visibility in GROUPS.items():
        groups[slug] = make_group(
            slug, name=NAMES[slug], visibility=visibility, members={author: "manager"}
        )
        episode = make_episode(groups[slug], author, title=f"Folge aus {NAMES[slug]}")
        post = make_post(groups[slug], author, title=f"Beitrag aus {NAMES[slug]}")
        for item in (episode, post):
            review.submit(item, author)
            review.approve(item, admin)
        items[slug] = (episode, post)
    db.session.commit()
    return {"groups": groups, "items": items, "author": author, "token": api_token(author)}


def _feed_file(app: Any, slug: str | None, name: str) -> Path:
    root = Path(app.config["FEEDS_ROOT"]) / "public"
    return root / slug / name if slug else root / name


def _text(app: Any, client: Any, surface: str, headers: dict[str, str]) -> str:
    if surface.startswith("/"):
        resp = client.get(surface, headers=headers)
        assert resp.status_code == 200, surface
        return resp.get_data(as_text=True)
    return _feed_file(app, None, surface).read_text()


SURFACES = {
    "api list, anonymous": ("/api/v1/groups", None),
    "api list, outsider": ("/api/v1/groups", "outsider"),
    "api list, member elsewhere": ("/api/v1/groups", "member elsewhere"),
    "directory and newest items": ("/", None),
    "directory search": ("/?q=Runde", None),
    "directory topic": ("/?topic=self-help", None),
    "sitemap": ("/sitemap.xml", None),
    "hub podcast feed": ("podcast.xml", None),
    "hub blog feed": ("blog.atom", None),
}


@pytest.mark.parametrize("surface", SURFACES)
def test_lists_show_outsiders_public_groups_only(
    app, client, hub, make_user, make_group, api_token, surface: str
) -> None:
    path, who = SURFACES[surface]
    headers = {}
    if who is not None:
        person = make_user(who.title())
        if who == "member elsewhere":
            make_group("anders", name="Andere", members={person: "member"})
        headers = api_token(person)
    text = _text(app, client, path, headers)
    assert "Offene Runde" in text or "/groups/offen/" in text  # the public one is there
    for hidden in ("Versteckte Runde", "Geheime Runde", "versteckt", "geheim"):
        assert hidden not in text, f"{surface} lists {hidden}"


def test_an_unlisted_group_is_reached_by_its_address(anonymous, hub) -> None:
    assert anonymous.get("/api/v1/groups/versteckt").get_json()["name"] == "Versteckte Runde"
    assert anonymous.get("/groups/versteckt/").status_code == 200
    assert anonymous.get("/api/v1/groups/geheim").status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("the groups' member", {"offen", "versteckt", "geheim"}),
        ("a hub editor", {"offen", "versteckt", "geheim"}),
        ("an outsider", {"offen"}),
    ],
)
def test_people_find_their_own_groups_in_the_api_list(
    client, hub, make_user, api_token, who: str, expected: set[str]
) -> None:
    if who == "the groups' member":
        headers = hub["token"]
    else:
        headers = api_token(make_user(hub_role="editor" if who == "a hub editor" else "none"))
    listed = {g["slug"] for g in client.get("/api/v1/groups", headers=headers).get_json()}
    assert listed == expected


# Withdrawals while the worker is busy ------------------------------------------


def _withdraw(client: Any, hub: dict[str, Any], action: str) -> None:
    token = hub["token"]
    episode, post = hub["items"]["offen"]
    calls = {
        "group made private": ("patch", "/api/v1/groups/offen", {"visibility": "private"}),
        "group made unlisted": ("patch", "/api/v1/groups/offen", {"visibility": "unlisted"}),
        "group moved": ("patch", "/api/v1/groups/offen", {"slug": "offen-neu"}),
        "episode taken offline": ("post", f"/api/v1/episodes/{episode.id}/unpublish", {}),
        "post taken offline": ("post", f"/api/v1/posts/{post.id}/unpublish", {}),
        "title corrected": ("patch", f"/api/v1/episodes/{episode.id}", {"title": "Korrigiert"}),
        "name withdrawn": ("patch", "/api/v1/users/me", {"is_credited": False}),
        "account deleted": ("delete", "/api/v1/me", {"password": PASSWORD}),
    }
    method, url, body = calls[action]
    resp = getattr(client, method)(url, headers=token, json=body)
    assert resp.status_code in {200, 204}, resp.get_json()


#: What must be gone from which public feed file (group slug or the hub's).
GONE = {
    "group made private": [("offen", "podcast.xml", None), ("offen", "blog.atom", None)],
    "group made unlisted": [(None, "podcast.xml", "Folge aus"), (None, "blog.atom", "Beitrag aus")],
    "group moved": [("offen", "podcast.xml", None), ("offen", "blog.atom", None)],
    "episode taken offline": [
        ("offen", "podcast.xml", "Folge aus"),
        (None, "podcast.xml", "Folge aus"),
    ],
    "post taken offline": [
        ("offen", "blog.atom", "Beitrag aus"),
        (None, "blog.atom", "Beitrag aus"),
    ],
    "title corrected": [("offen", "podcast.xml", "Folge aus"), (None, "podcast.xml", "Folge aus")],
    "name withdrawn": [("offen", "podcast.xml", "Sonnenblume"), ("offen", "blog.atom", "Sonnen")],
    "account deleted": [("offen", "podcast.xml", "Sonnenblume"), (None, "blog.atom", "Sonnen")],
}


@pytest.mark.parametrize("action", GONE)
def test_withdrawals_leave_the_public_feeds_in_the_same_request(
    app, client, hub, backlog, action: str
) -> None:
    client = close_every_answer(client)
    for slug, name, text in GONE[action]:  # as the worker wrote them before
        assert (text or "<") in _feed_file(app, slug, name).read_text()
    _withdraw(client, hub, action)
    for slug, name, text in GONE[action]:
        path = _feed_file(app, slug, name)
        url = f"/feeds/{slug}/{name}" if slug else f"/feeds/{name}"
        served = client.get(url)
        if text is None:  # the file itself: gone for nginx and our responder
            assert not path.exists() and not Path(f"{path}.gz").exists(), action
            assert served.status_code == 404, action
        else:
            assert text not in path.read_text(), f"{action}: {path}"
            assert served.status_code == 200 and text.encode() not in served.data, action


@pytest.fixture
def backlog(hub: dict[str, Any]) -> None:
    """The queue's tasks wait (QUEUE_IMMEDIATE off, no worker); the feeds
    are as the worker last wrote them."""
    from mediahub.feeds.services import rebuild_all

    rebuild_all()
