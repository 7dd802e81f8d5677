"""A small hub for the hostile-input tests: one group with a manager who
also writes, an editor and an admin, each with an access token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from mediahub.core.extensions import db

SLUG = "angst-hh"


@dataclass
class Team:
    group: Any
    manager: Any
    editor: Any
    admin: Any
    as_manager: dict[str, str]
    as_editor: dict[str, str]
    as_admin: dict[str, str]


def make_team(
    make_user: Callable[..., Any], make_group: Callable[..., Any], api_token: Callable[..., Any]
) -> Team:
    manager, editor = make_user("Maren"), make_user("Edith")
    admin = make_user("Ada", hub_role="admin")
    group = make_group(SLUG, name="Angst Hamburg", members={manager: "manager", editor: "editor"})
    return Team(
        group,
        manager,
        editor,
        admin,
        {**api_token(manager), "Accept-Language": "en"},
        {**api_token(editor), "Accept-Language": "en"},
        {**api_token(admin), "Accept-Language": "en"},
    )


def episode_in_review(team: Team, make_episode: Callable[..., Any]) -> Any:
    """An episode of the manager's with ready audio, waiting for the editor."""
    from mediahub.review import services as review

    episode = make_episode(team.group, team.manager, title="Zum Jahrestag")
    review.submit(episode, team.manager)
    db.session.commit()
    return episode


def feed_xml(client: Any, slug: str = SLUG, name: str = "podcast.xml") -> etree._Element:
    """The group's public feed as an app reads it: well-formed XML, or the test fails."""
    resp = client.get(f"/feeds/{slug}/{name}")
    assert resp.status_code == 200, resp.status_code
    body = resp.get_data()
    resp.close()
    return etree.fromstring(body)
