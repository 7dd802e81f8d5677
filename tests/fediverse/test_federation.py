"""A hub and a fediverse server on loopback, over real HTTP: follow, a new
episode arrives, a reply waits for the editors, unpublishing sends Delete.

The remote server (``remote_server.RemoteServer``) checks every signature
with pubby on its own, fetching the hub's actor over HTTP."""

from __future__ import annotations

import io
import time
from urllib.parse import quote

import podcastparser
from lxml import etree

from mediahub.core.extensions import db
from mediahub.fediverse import services
from mediahub.fediverse.models import Follower, RemoteReply, ReplyState
from mediahub.groups import services as groups
from mediahub.review import services as review

PODCAST = "{https://podcastindex.org/namespace/1.0}"


def _xml(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _publish(make_episode, group, anna, eda, title="Folge 1"):
    episode = make_episode(group, anna, title=title, content_note="Thema: Trauer")
    review.submit(episode, anna)
    review.decide(episode, eda, "approve", comment="")
    db.session.commit()
    return episode


def test_follow_receive_reply_and_delete(hub, team, remote, make_episode):
    _hub_app, base = hub
    anna, eda, group = team
    host = base.removeprefix("http://")

    finger = remote.fetch(f"{base}/.well-known/webfinger?resource={quote(f'acct:trauer@{host}')}")
    actor_url = next(link["href"] for link in finger["links"] if link["rel"] == "self")
    actor = remote.fetch(actor_url)
    assert actor["name"] == "Trauercafé" and actor["preferredUsername"] == "trauer"

    assert remote.send(actor["inbox"], remote.follow_activity(actor_url)) == 202
    accept = remote.wait_for(lambda a: a["type"] == "Accept", timeout_s=10)
    assert accept["actor"] == actor_url and accept["object"]["type"] == "Follow"

    began = time.monotonic()
    episode = _publish(make_episode, group, anna, eda)
    create = remote.wait_for(lambda a: a["type"] == "Create", timeout_s=60)
    assert time.monotonic() - began < 60
    note = create["object"]
    assert "Folge 1" in note["content"] and note["summary"] == "Thema: Trauer"
    assert note["attachment"][0]["mediaType"] == "audio/mpeg"
    assert "Anna" not in str(create)  # no person is named in the fediverse

    reply = remote.reply_activity(note["id"], "<p>Danke für <b>diese</b> Folge!</p>")
    assert remote.send(actor["endpoints"]["sharedInbox"], reply) == 202
    kept = db.session.scalars(db.select(RemoteReply)).one()
    assert (kept.state, kept.text) == (ReplyState.PENDING, "Danke für diese Folge!")
    page = f"/groups/trauer/episodes/{episode.id}"
    client = _hub_app.test_client()
    assert "Danke für" not in client.get(page).get_data(as_text=True)
    services.approve_reply(kept)
    db.session.commit()
    assert "Danke für diese Folge!" in client.get(page).get_data(as_text=True)

    with client.get("/feeds/trauer/podcast.xml") as answer:
        feed = answer.get_data()
    assert podcastparser.parse(f"{base}/feeds/trauer/podcast.xml", io.BytesIO(feed))["episodes"]
    social = _xml(feed).find(f".//item/{PODCAST}socialInteract")
    assert social.get("protocol") == "activitypub" and social.get("uri") == note["id"]
    assert social.get("accountId") == f"@trauer@{host}"

    review.unpublish(episode, eda)
    db.session.commit()
    deleted = remote.wait_for(lambda a: a["type"] == "Delete", timeout_s=60)
    assert deleted["object"]["id"] == note["id"]
    assert remote.refused == []


def test_replies_off_means_none_kept_and_the_feed_says_disabled(hub, team, remote, make_episode):
    hub_app, _base = hub
    anna, eda, group = team
    services.set_presence(group, enabled=True, replies=False)
    db.session.commit()
    actor_url = services.urls(group).actor
    remote.send(f"{actor_url}/inbox", remote.follow_activity(actor_url))
    _publish(make_episode, group, anna, eda)
    note = remote.wait_for(lambda a: a["type"] == "Create", timeout_s=60)["object"]
    remote.send(f"{actor_url}/inbox", remote.reply_activity(note["id"], "hallo"))
    assert db.session.scalars(db.select(RemoteReply)).first() is None
    with hub_app.test_client().get("/feeds/trauer/podcast.xml") as answer:
        feed = answer.get_data()
    social = _xml(feed).find(f".//item/{PODCAST}socialInteract")
    assert social.get("protocol") == "disabled" and social.get("uri") is None


def test_a_blocked_server_is_not_heard(hub, team, remote):
    _anna, _eda, group = team
    from mediahub.fediverse.models import BlockKind, Follower

    services.block(group, BlockKind.SERVER, "127.0.0.1")
    db.session.commit()
    actor_url = services.urls(group).actor
    assert remote.send(f"{actor_url}/inbox", remote.follow_activity(actor_url)) == 202
    assert db.session.scalars(db.select(Follower)).first() is None
    assert remote.actor_fetches == 0  # nothing fetched from a blocked server
    assert remote.received == []  # no Accept


def test_a_follower_on_a_server_in_secure_mode_is_fetched_with_a_signature(hub, team, remote):
    _anna, _eda, group = team
    remote.authorized_fetch = True  # alice's actor answers signed GETs only
    remote.follow(services.urls(group).actor)
    assert remote.refused == []
    assert db.session.scalars(db.select(Follower)).one().remote.actor_url == remote.actor


def test_followers_stay_with_a_group_that_changes_its_short_name(hub, team, remote, make_episode):
    _hub_app, base = hub
    anna, eda, group = team
    actor_url = services.urls(group).actor
    remote.follow(actor_url)
    groups.update_group(group, {"slug": "trauer-nord"}, actor=eda)
    db.session.commit()
    assert services.urls(group).actor == actor_url  # the same actor, a new @name
    host = base.removeprefix("http://")
    finger = remote.fetch(f"{base}/.well-known/webfinger?resource=acct:trauer-nord@{host}")
    assert finger["links"][0]["href"] == actor_url
    assert remote.fetch(actor_url)["preferredUsername"] == "trauer-nord"
    _publish(make_episode, group, anna, eda, title="Nach dem Umzug")
    create = remote.wait_for(lambda a: a["type"] == "Create")
    assert create["actor"] == actor_url and remote.refused == []


def test_a_deleted_reply_or_account_disappears_from_the_page(hub, team, remote, make_episode):
    hub_app, _base = hub
    anna, eda, group = team
    remote.follow(services.urls(group).actor)
    episode = _publish(make_episode, group, anna, eda)
    note = remote.wait_for(lambda a: a["type"] == "Create")["object"]
    shared = services.urls(group).shared_inbox
    first = remote.reply_activity(note["id"], "Erste Antwort")
    second = remote.reply_activity(note["id"], "Zweite Antwort")
    for reply in (first, second):
        assert remote.send(shared, reply) == 202
    for kept in db.session.scalars(db.select(RemoteReply)):
        services.approve_reply(kept)
    db.session.commit()
    page = f"/groups/trauer/episodes/{episode.id}"
    client = hub_app.test_client()
    shown = client.get(page).get_data(as_text=True)
    assert "Erste Antwort" in shown and "Alice" in shown

    def delete(object_id: str) -> dict:
        return {"id": f"{object_id}#delete", "type": "Delete", "actor": remote.actor,
                "object": object_id}  # fmt: skip

    assert remote.send(shared, delete(first["object"]["id"])) == 202
    shown = client.get(page).get_data(as_text=True)
    assert "Erste Antwort" not in shown and "Zweite Antwort" in shown
    # The account is deleted: its follow, its replies and its name go.
    assert remote.send(shared, delete(remote.actor)) == 202
    shown = client.get(page).get_data(as_text=True)
    assert "Zweite Antwort" not in shown and "Alice" not in shown
    assert db.session.scalars(db.select(Follower)).first() is None


def test_an_unfollow_stops_the_posts(hub, team, remote, make_episode):
    _hub_app, _base = hub
    anna, eda, group = team
    accept = remote.follow(services.urls(group).actor)
    undo = {"id": f"{remote.actor}/undo/1", "type": "Undo", "actor": remote.actor,
            "object": accept["object"]}  # fmt: skip
    assert remote.send(services.urls(group).inbox, undo) == 202
    assert db.session.scalars(db.select(Follower)).first() is None
    _publish(make_episode, group, anna, eda)
    assert [a["type"] for a in remote.received] == ["Accept"]
