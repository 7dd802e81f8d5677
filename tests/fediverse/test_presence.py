"""Switching a group's fediverse presence on (managers of public groups only)
and moderating replies (the group's editors; nobody else sees a reply before
it is approved) — through the pages and the API."""

from __future__ import annotations

import pytest
from lxml import etree

from mediahub.core.errors import Conflict
from mediahub.core.extensions import db
from mediahub.fediverse import services
from mediahub.fediverse.models import (
    Block,
    FederatedItem,
    GroupActor,
    RemoteActor,
    RemoteReply,
    ReplyState,
)

ACTIVITY = {"Accept": "application/activity+json"}
PODCAST = "{https://podcastindex.org/namespace/1.0}"


@pytest.fixture
def people(make_user):
    return {
        "manager": make_user("Mia"),
        "editor": make_user("Eda"),
        "member": make_user("Mo"),
        "outsider": make_user("Olaf"),
    }


@pytest.fixture
def make_team_group(make_group, people):
    def make(slug="trauer", **fields):
        roles = {
            people["manager"]: "manager",
            people["editor"]: "editor",
            people["member"]: "member",
        }
        return make_group(slug, name="Trauercafé", members=roles, **fields)

    return make


@pytest.mark.parametrize("visibility", ["unlisted", "private"])
def test_unlisted_and_private_groups_cannot_switch_it_on(
    make_team_group, people, browser, api_token, client, visibility
):
    group = make_team_group(visibility=visibility)
    with pytest.raises(Conflict):
        services.set_presence(group, enabled=True, replies=True)
    db.session.rollback()

    manager = browser(people["manager"])
    page = manager.get("/groups/trauer/fediverse").get_data(as_text=True)
    assert "Nur öffentlichen Gruppen" in page and 'name="is_enabled"' not in page
    forged = manager.post_form("/groups/trauer/fediverse", {"is_enabled": "y"})
    assert forged.status_code == 422 and "Nur öffentlichen Gruppen" in forged.get_data(as_text=True)

    answer = client.put(
        "/api/v1/groups/trauer/fediverse",
        json={"enabled": True, "replies": True},
        headers=api_token(people["manager"]),
    )
    assert answer.status_code == 409 and answer.json["error"]["code"] == "not_public"
    assert db.session.scalars(db.select(GroupActor).where(GroupActor.is_enabled)).first() is None
    finger = client.get("/.well-known/webfinger?resource=acct:trauer@hub.test")
    assert finger.status_code == 404


def test_a_manager_switches_it_on_in_the_page(make_team_group, people, browser, client):
    group = make_team_group()
    actor_url = f"/fediverse/groups/{group.id}"
    assert client.get(actor_url, headers=ACTIVITY).status_code == 404
    manager = browser(people["manager"])
    answer = manager.post_form("/groups/trauer/fediverse", {"is_enabled": "y", "has_replies": "y"})
    assert answer.status_code == 302
    page = manager.get("/groups/trauer/fediverse").get_data(as_text=True)
    assert "@trauer@hub.test" in page and "Antworten" in page

    actor = client.get(actor_url, headers=ACTIVITY).json
    assert actor["preferredUsername"] == "trauer" and actor["name"] == "Trauercafé"
    assert actor["url"] == "http://hub.test/groups/trauer/" and actor["icon"]["url"]
    assert "BEGIN PUBLIC KEY" in actor["publicKey"]["publicKeyPem"]
    assert "PRIVATE" not in str(actor)
    links = {a["name"]: a["value"] for a in actor["attachment"]}
    assert any("/feeds/trauer/podcast.xml" in v for v in links.values())
    info = client.get(client.get("/.well-known/nodeinfo").json["links"][0]["href"]).json
    assert info["usage"]["users"]["total"] == 1 and "activitypub" in info["protocols"]


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_managers_switch_it(make_team_group, people, browser, api_token, client, who):
    make_team_group()
    page = browser(people[who]).post_form("/groups/trauer/fediverse", {"is_enabled": "y"})
    assert page.status_code in (403, 404)
    answer = client.put(
        "/api/v1/groups/trauer/fediverse", json={"enabled": True}, headers=api_token(people[who])
    )
    assert answer.status_code in (403, 404) and "error" in answer.json
    assert db.session.scalars(db.select(GroupActor)).first() is None


@pytest.fixture
def waiting_reply(make_team_group, make_episode, people):
    """A published episode of a group with replies on, and a reply waiting."""
    from mediahub.review import services as review

    group = make_team_group()
    services.set_presence(group, enabled=True, replies=True)
    episode = make_episode(group, people["member"], title="Folge 1")
    review.submit(episode, people["member"])
    review.decide(episode, people["editor"], "approve", comment="")
    db.session.flush()
    item = db.session.scalars(db.select(FederatedItem)).one()
    remote = RemoteActor(
        actor_url="https://social.example/users/rita",
        domain="social.example",
        key_id="https://social.example/users/rita#main-key",
        public_key_pem="-",
        inbox="https://social.example/users/rita/inbox",
        handle="@rita@social.example",
        name="Rita",
    )
    db.session.add(remote)
    db.session.flush()
    reply = RemoteReply(
        actor_id=item.actor_id,
        remote_id=remote.id,
        item_id=item.id,
        object_url="https://social.example/statuses/1",
        text="Das hat mir Mut gemacht.",
    )
    db.session.add(reply)
    db.session.commit()
    return episode, reply


def _episode_page(client, episode) -> str:
    return client.get(f"/groups/trauer/episodes/{episode.id}").get_data(as_text=True)


def test_nobody_but_the_editors_sees_a_waiting_reply(
    waiting_reply, people, browser, client, api_token
):
    episode, reply = waiting_reply
    for who in ("member", "outsider"):
        assert "Mut gemacht" not in _episode_page(browser(people[who]), episode)
        page = browser(people[who]).get("/groups/trauer/fediverse")
        assert page.status_code in (403, 404)
        listed = client.get(
            "/api/v1/groups/trauer/fediverse/replies", headers=api_token(people[who])
        )
        assert listed.status_code in (403, 404)
        decided = client.post(
            f"/api/v1/fediverse/replies/{reply.id}/decision",
            json={"decision": "approve"},
            headers=api_token(people[who]),
        )
        assert decided.status_code in (403, 404)
    assert "Mut gemacht" not in _episode_page(client, episode)
    with client.get("/feeds/trauer/podcast.xml") as feed:
        assert "Mut gemacht" not in feed.get_data(as_text=True)
    editor = browser(people["editor"]).get("/groups/trauer/fediverse").get_data(as_text=True)
    assert "Mut gemacht" in editor and "@rita@social.example" in editor
    listed = client.get(
        "/api/v1/groups/trauer/fediverse/replies", headers=api_token(people["editor"])
    )
    assert [r["text"] for r in listed.json] == ["Das hat mir Mut gemacht."]


def test_an_editor_approves_and_the_reply_is_shown(waiting_reply, people, browser, client):
    episode, reply = waiting_reply
    editor = browser(people["editor"])
    answer = editor.post_form(f"/fediverse/replies/{reply.id}/approve")
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(RemoteReply, reply.id).state == ReplyState.APPROVED
    page = _episode_page(client, episode)
    assert "Das hat mir Mut gemacht." in page and "Antworten aus dem Fediverse" in page


def test_an_editor_rejects_and_the_reply_is_gone(waiting_reply, people, browser, client):
    episode, reply = waiting_reply
    editor = browser(people["editor"])
    assert editor.post_form(f"/fediverse/replies/{reply.id}/reject").status_code == 302
    db.session.expire_all()
    assert db.session.scalars(db.select(RemoteReply)).first() is None
    assert "Mut gemacht" not in _episode_page(client, episode)


@pytest.mark.parametrize(
    ("decision", "kind", "value"),
    [
        ("block_account", "account", "https://social.example/users/rita"),
        ("block_server", "server", "social.example"),
    ],
)
def test_blocking_drops_the_reply_and_remembers(
    waiting_reply, people, client, api_token, decision, kind, value
):
    _episode, reply = waiting_reply
    answer = client.post(
        f"/api/v1/fediverse/replies/{reply.id}/decision",
        json={"decision": decision},
        headers=api_token(people["editor"]),
    )
    assert answer.status_code == 204
    db.session.expire_all()
    assert db.session.scalars(db.select(RemoteReply)).first() is None
    block = db.session.scalars(db.select(Block)).one()
    assert (block.kind.value, block.value) == (kind, value)
    assert services.is_blocked(
        block.group_id, "https://social.example/users/rita", "social.example"
    )


def test_a_nonsense_decision_is_a_4xx(waiting_reply, people, client, api_token, browser):
    _episode, reply = waiting_reply
    answer = client.post(
        f"/api/v1/fediverse/replies/{reply.id}/decision",
        json={"decision": "publish_everywhere"},
        headers=api_token(people["editor"]),
    )
    assert answer.status_code == 422 and "error" in answer.json
    editor = browser(people["editor"])
    assert editor.post_form(f"/fediverse/replies/{reply.id}/delete_all").status_code == 404
    assert editor.post_form("/fediverse/replies/999999/approve").status_code == 404


def _social(client) -> dict:
    with client.get("/feeds/trauer/podcast.xml") as answer:
        feed = answer.get_data()
    parsed = etree.fromstring(feed, etree.XMLParser(resolve_entities=False, no_network=True))
    return dict(parsed.find(f".//item/{PODCAST}socialInteract").attrib)


def test_the_feed_follows_the_replies_switch_at_once(waiting_reply, people, browser, client):
    _episode, _reply = waiting_reply
    on = _social(client)
    assert on["protocol"] == "activitypub" and on["accountId"] == "@trauer@hub.test"
    assert on["uri"].startswith(f"http://hub.test/fediverse/groups/{_episode.group_id}/items/")
    manager = browser(people["manager"])
    assert manager.post_form("/groups/trauer/fediverse", {"is_enabled": "y"}).status_code == 302
    assert _social(client) == {"protocol": "disabled"}


def test_the_editors_review_queue_points_to_waiting_replies(waiting_reply, people, browser):
    editor = browser(people["editor"]).get("/review").get_data(as_text=True)
    assert "1 Antwort wartet" in editor and "/groups/trauer/fediverse" in editor
    other = browser(people["outsider"]).get("/review")
    assert "/groups/trauer/fediverse" not in other.get_data(as_text=True)


def test_an_editor_sees_and_lifts_a_block(waiting_reply, people, browser, client, api_token):
    _episode, reply = waiting_reply
    editor = browser(people["editor"])
    editor.post_form(f"/fediverse/replies/{reply.id}/block_server")
    page = editor.get("/groups/trauer/fediverse").get_data(as_text=True)
    assert "Ganzer Server: social.example" in page and "Sperre aufheben" in page
    block = db.session.scalars(db.select(Block)).one()
    outsider = browser(people["outsider"])
    assert outsider.post_form(f"/fediverse/blocks/{block.id}/lift").status_code in (403, 404)
    assert db.session.scalars(db.select(Block)).first() is not None
    assert editor.post_form(f"/fediverse/blocks/{block.id}/lift").status_code == 302
    assert db.session.scalars(db.select(Block)).first() is None
    assert not services.is_blocked(block.group_id, "https://x.example/u", "social.example")
    # The API does the same for the account block made there.
    headers = api_token(people["editor"])
    made = client.post(
        "/api/v1/groups/trauer/fediverse/blocks",
        json={"kind": "account", "value": "https://social.example/users/rita"},
        headers=headers,
    )
    assert made.status_code == 204
    block_id = db.session.scalars(db.select(Block.id)).one()
    gone = client.delete(f"/api/v1/groups/trauer/fediverse/blocks/{block_id}", headers=headers)
    assert gone.status_code == 204 and db.session.scalars(db.select(Block)).first() is None
    again = client.delete(f"/api/v1/groups/trauer/fediverse/blocks/{block_id}", headers=headers)
    assert again.status_code == 404
