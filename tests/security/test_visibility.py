"""Unlisted means not listed, and taking something back takes effect at once.

Lists of groups (the API's, the directory and its search, the sitemap, the
hub's feeds) show outsiders public groups only; an unlisted group is reached
by its address. And when a group leaves public view, an item goes offline,
or a person withdraws their name, the public feed files change in the same
request — while the worker is still busy elsewhere — so neither WhiteNoise
nor an nginx serving ``FEEDS_ROOT/public`` directly keeps showing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mediahub.extensions import db

GROUPS = {"offen": "public", "versteckt": "unlisted", "geheim": "private"}
NAMES = {"offen": "Offene Runde", "versteckt": "Versteckte Runde", "geheim": "Geheime Runde"}


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
