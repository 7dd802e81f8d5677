"""What the API shows depends on who asks; people are named by one rule everywhere.

The tables below are the specification: for every field of every object the
API returns, the lowest audience that may see it. The tests read each object
as eight different people and compare the keys they get with the table, so a
field that leaks, or a new field nobody decided on, fails here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from mediahub.core.extensions import db

COMMENT = "Bitte die Diagnose herausschneiden."
# Audience levels, lowest first (mediahub.core.audience.Audience).
PUBLIC, MEMBER, AUTHOR, EDITOR, MANAGER = 0, 10, 20, 30, 40
#: Each viewer's standing to a published item in a public group.
VIEWERS = {
    "anonymous": PUBLIC,
    "outsider": PUBLIC,
    "member": MEMBER,
    "author": AUTHOR,
    "group_editor": EDITOR,
    "hub_editor": EDITOR,
    "manager": MANAGER,
    "admin": MANAGER,
}
_ITEM = {
    "id": PUBLIC,
    "guid": PUBLIC,
    "group": PUBLIC,
    "title": PUBLIC,
    "content_note": PUBLIC,
    "status": PUBLIC,
    "author": PUBLIC,  # the value follows the public-name rule, see below
    "published_at": PUBLIC,
    "updated_at": PUBLIC,
    "page_url": PUBLIC,
    "actions": PUBLIC,  # what the caller may do: about the caller only
    "version": AUTHOR,  # for editing; reveals how often it was changed
    "publish_at": AUTHOR,
    "created_at": AUTHOR,  # when the member started writing
    "review_comment": AUTHOR,  # the editors' note ("cut out the diagnosis")
}
EXPECTED: dict[str, dict[str, int]] = {
    "Episode": {
        **_ITEM,
        "description": PUBLIC,
        "episode_type": PUBLIC,
        "season": PUBLIC,
        "number": PUBLIC,
        "explicit": PUBLIC,
        "language": PUBLIC,
        "chapters": PUBLIC,
        "media": PUBLIC,
        "transcript_url": PUBLIC,
        "chapters_url": PUBLIC,
        "image_url": PUBLIC,
        "disguise_voice": AUTHOR,  # knowing the pitch was lowered helps to undo it
    },
    "Media": {
        "status": PUBLIC,
        "progress": PUBLIC,  # how far the encode is: says nothing of the recording
        "duration_s": PUBLIC,
        "size_bytes": PUBLIC,
        "bitrate_kbps": PUBLIC,
        "loudness_lufs": PUBLIC,
        "true_peak_dbtp": PUBLIC,
        "audio_url": PUBLIC,
        "error": AUTHOR,  # processing errors speak of the member's file
        "original_size_bytes": AUTHOR,
    },
    "Post": {**_ITEM, "body": PUBLIC},
    "Group": {
        **dict.fromkeys(
            ["id", "slug", "name", "description", "language", "category", "visibility"], PUBLIC
        ),
        **dict.fromkeys(["explicit", "funding_url", "page_url", "feed_url"], PUBLIC),
        **dict.fromkeys(["blog_feed_url", "cover_url", "artwork_url", "role"], PUBLIC),
        "auto_transcripts": MEMBER,  # a setting, not news for listeners
        "intro": MANAGER,  # the clips' state and processing errors
        "outro": MANAGER,
    },
    # The automatic transcript before approval: only the author and the
    # group's editors know it exists (everybody else gets 404).
    "MachineTranscript": dict.fromkeys(
        [
            *("state", "label", "message", "percent", "is_final", "language", "version"),
            *("approved", "is_public", "uploaded", "can_approve", "cues"),
            "speaker_suggestions",
        ],
        AUTHOR,
    ),
}
#: Response schemas that only one audience ever gets (the endpoint checks who
#: asks), so their fields need no declaration each.
SINGLE_AUDIENCE = {
    "Event": "the audit trail: the item's author and the group's reviewers (can_see_history)",
    "QueueEntry": "the review queue: reviewers who may decide on the item",
    "Member": "the member list: the group's managers and hub admins",
    "Invitation": "the group's managers and hub admins",
    "FeedToken": "the group's managers (listener addresses)",
    "FeedTokenCreated": "the group's manager who made it, once",
    "User": "the person themself (/users/me) and hub admins (/users)",
    "Token": "the person who just logged in",
    "Upload": "the person who started the upload",
    "Health": "hub admins",
    "EmailChange": "the person themself (PUT /users/me/email): the address to confirm",
    "PasswordResetAnswer": "anybody asking for a password link: one fixed sentence, the same "
    "whether or not an account has the address",
}


@pytest.fixture
def world(make_user, make_group, make_episode, make_post, api_token) -> dict[str, Any]:
    """A public group, a published episode and post by an uncredited member,
    approved with a comment, and everybody who might ask."""
    from mediahub.review import services as review

    hub_roles = {"hub_editor": "editor", "admin": "admin"}
    people = {
        name: make_user(name.replace("_", " ").title(), hub_role=hub_roles.get(name, "none"))
        for name in VIEWERS
        if name != "anonymous"
    }
    roles = {"author": "member", "member": "member", "group_editor": "editor", "manager": "manager"}
    group = make_group("offen", members={people[n]: role for n, role in roles.items()})
    author = people["author"]
    episode = make_episode(group, author, title="Unser Weg", disguise_voice=True)
    post = make_post(group, author, title="Ein Jahr")
    for item in (episode, post):
        review.submit(item, author)
        review.approve(item, people["group_editor"], comment=COMMENT)
    db.session.commit()
    headers = {name: api_token(user) for name, user in people.items()}
    return {"headers": {**headers, "anonymous": {}}, "episode": episode, "post": post}


def _allowed(kind: str, level: int) -> set[str]:
    return {name for name, lowest in EXPECTED[kind].items() if lowest <= level}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("kind", ["Episode", "Post", "Group"])
def test_every_field_reaches_only_its_audience(client, world, kind: str, viewer: str) -> None:
    headers, level = world["headers"][viewer], VIEWERS[viewer]
    if kind == "Group":
        one_url, list_url = "/api/v1/groups/offen", "/api/v1/groups"
    else:
        item = world[kind.lower()]
        one_url = f"/api/v1/{kind.lower()}s/{item.id}"
        list_url = f"/api/v1/groups/offen/{kind.lower()}s"
    one = client.get(one_url, headers=headers)
    assert one.status_code == 200, one.get_json()
    [listed] = client.get(list_url, headers=headers).get_json()
    for what, body in (("item", one.get_json()), ("list entry", listed)):
        assert set(body) == _allowed(kind, level), f"{kind} {what} for {viewer}"
        if kind == "Episode":
            assert set(body["media"]) == _allowed("Media", level), f"media for {viewer}"
        if kind != "Group":
            # The author chose not to be named: only they and the editors know.
            assert body["author"] == ("Author" if level >= AUTHOR else None), viewer
            if level >= AUTHOR:
                assert body["review_comment"] == COMMENT


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_audit_trail_is_for_the_author_and_the_editors(client, world, viewer: str) -> None:
    resp = client.get(
        f"/api/v1/episodes/{world['episode'].id}/history", headers=world["headers"][viewer]
    )
    if VIEWERS[viewer] >= AUTHOR:
        assert resp.status_code == 200
        assert COMMENT in json.dumps(resp.get_json())
    else:
        assert resp.status_code in {401, 403}
        assert COMMENT not in resp.get_data(as_text=True)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_machine_transcript_is_for_the_author_and_the_editors(
    client, world, viewer: str
) -> None:
    from mediahub.transcripts.models import Transcript, TranscriptState

    vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Sprecherin 1>Meine Diagnose\n"
    db.session.add(Transcript(episode=world["episode"], state=TranscriptState.DONE, vtt=vtt))
    db.session.commit()
    resp = client.get(
        f"/api/v1/episodes/{world['episode'].id}/transcript/machine",
        headers=world["headers"][viewer],
    )
    if VIEWERS[viewer] >= AUTHOR:
        assert resp.status_code == 200
        assert set(resp.get_json()) == _allowed("MachineTranscript", VIEWERS[viewer])
    else:
        assert resp.status_code == (401 if viewer == "anonymous" else 404)
        assert "Diagnose" not in resp.get_data(as_text=True)


def _schema_classes() -> dict[str, Any]:
    from mediahub.episodes.api import EpisodeSchema
    from mediahub.episodes.schemas import MediaSchema
    from mediahub.groups.api import GroupSchema
    from mediahub.posts.api import PostSchema
    from mediahub.transcripts.schemas import MachineTranscriptSchema

    return {
        "MachineTranscript": MachineTranscriptSchema,
        "Episode": EpisodeSchema,
        "Post": PostSchema,
        "Group": GroupSchema,
        "Media": MediaSchema,
    }


@pytest.mark.parametrize(
    ("kind", "field"), [(kind, field) for kind, table in EXPECTED.items() for field in table]
)
def test_each_field_declares_the_audience_of_the_table(kind: str, field: str) -> None:
    from mediahub.api.schemas import field_audience

    declared = field_audience(_schema_classes()[kind]().fields[field])
    assert declared is not None and int(declared) == EXPECTED[kind][field]


@pytest.mark.parametrize("kind", EXPECTED)
def test_no_field_is_left_undecided(kind: str) -> None:
    """A new field fails here until the table (and the schema) say who sees it."""
    assert set(_schema_classes()[kind]().dump_fields) == set(EXPECTED[kind])


def test_a_field_without_an_audience_cannot_be_made() -> None:
    from marshmallow import fields

    from mediahub.api.schemas import AudienceSchema

    class Careless(AudienceSchema):
        secret = fields.Str()

    with pytest.raises(TypeError, match="secret"):
        Careless()


def test_every_api_answer_is_decided_per_audience(client) -> None:
    """Every schema the API answers with either drops fields per audience or
    is only ever sent to one audience (listed with the reason)."""
    from marshmallow import class_registry

    from mediahub.api.schemas import AudienceSchema

    spec = client.get("/api/v1/openapi.json").get_json()
    answered = set()
    for operations in spec["paths"].values():
        for operation in operations.values():
            if not isinstance(operation, dict):  # the path's own parameters
                continue
            for response in operation.get("responses", {}).values():
                for content in response.get("content", {}).values():
                    schema = content.get("schema", {})
                    ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
                    if ref:
                        answered.add(ref.rsplit("/", 1)[1])
    for name in sorted(answered - {"Error"}):
        cls = class_registry.get_class(f"{name}Schema")
        assert issubclass(cls, AudienceSchema) or name in SINGLE_AUDIENCE, name
    # Clients read in the description which fields they may not get.
    for name, table in EXPECTED.items():
        for field, prop in spec["components"]["schemas"][name]["properties"].items():
            restricted = table[field] > PUBLIC
            assert ("absent for other callers" in prop.get("description", "")) == restricted


# One rule for naming people: pages, feeds, JSON-LD, API and mail ask it.

NAME = "Sonnenblume"


def _everywhere(app, anonymous, episode, post) -> dict[str, str]:
    """Every public output that could name the author, as text."""
    from pathlib import Path

    feeds = Path(app.config["FEEDS_ROOT"]) / "public"
    slug = episode.group.slug
    return {
        "api episode": anonymous.get(f"/api/v1/episodes/{episode.id}").get_data(as_text=True),
        "api post": anonymous.get(f"/api/v1/posts/{post.id}").get_data(as_text=True),
        "api list": anonymous.get(f"/api/v1/groups/{slug}/episodes").get_data(as_text=True),
        "episode page": anonymous.get(f"/groups/{slug}/episodes/{episode.id}").get_data(
            as_text=True
        ),
        "post page": anonymous.get(f"/groups/{slug}/posts/{post.id}").get_data(as_text=True),
        "podcast feed": (feeds / slug / "podcast.xml").read_text(),
        "blog feed": (feeds / slug / "blog.atom").read_text(),
        "hub podcast feed": (feeds / "podcast.xml").read_text(),
        "hub blog feed": (feeds / "blog.atom").read_text(),
    }


STATES = {
    "credited": True,
    "never credited": False,
    "credit withdrawn": False,
    "account deactivated": False,
    "account deleted": False,
}


@pytest.mark.parametrize("state", STATES)
def test_a_person_is_named_only_while_credited_and_active(
    app, client, anonymous, make_user, make_group, make_episode, make_post, api_token, state: str
) -> None:
    from mediahub.accounts.services import update_user
    from mediahub.review import services as review
    from tests.conftest import PASSWORD

    author, editor = make_user(NAME), make_user("Redaktion", hub_role="admin")
    update_user(author, is_credited=state != "never credited")
    group = make_group("offen", members={author: "member"})
    episode, post = make_episode(group, author), make_post(group, author)
    for item in (episode, post):
        review.submit(item, author)
        review.approve(item, editor)
    db.session.commit()
    # The change comes after publishing: the feeds must follow it.
    mine, admin = api_token(author), api_token(editor)
    if state == "credit withdrawn":
        resp = client.patch("/api/v1/users/me", headers=mine, json={"is_credited": False})
    elif state == "account deactivated":
        resp = client.patch(f"/api/v1/users/{author.id}", headers=admin, json={"is_active": False})
    elif state == "account deleted":
        resp = client.delete("/api/v1/me", headers=mine, json={"password": PASSWORD})
    if state in {"credit withdrawn", "account deactivated", "account deleted"}:
        assert resp.status_code in {200, 204}, resp.get_json()
    for output, text in _everywhere(app, anonymous, episode, post).items():
        assert (NAME in text) is STATES[state], f"{output}: {state}"


@pytest.mark.parametrize("credited", [True, False], ids=["credited", "uncredited"])
def test_an_invitation_names_the_inviter_only_as_the_public_may_know_them(
    inbox, browser, make_user, make_group, credited: bool
) -> None:
    from mediahub.accounts.services import update_user

    manager = make_user(NAME)
    update_user(manager, is_credited=credited)
    make_group("offen", members={manager: "manager"})
    db.session.commit()
    resp = browser(manager).post_form(
        "/groups/offen/invitations", {"email": "neu@example.org", "role": "member"}
    )
    assert resp.status_code == 302
    (mail,) = inbox.to("neu@example.org")
    assert (NAME in inbox.body(mail)) is credited
