"""What followers receive, over real HTTP on loopback: blog posts as well as
episodes, a retry when their server is down, one delivery per shared inbox,
``Delete`` of everything when the group leaves the fediverse or public view,
an ``Update`` when its profile changes, and never a person's name."""

from __future__ import annotations

import datetime as dt

from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.fediverse import publishing, services
from mediahub.fediverse.federation import reconcile, to_followers
from mediahub.fediverse.models import (
    Delivery,
    DeliveryState,
    Follower,
    GroupActor,
    RemoteActor,
)
from mediahub.fediverse.tasks import deliver
from mediahub.groups import services as groups
from mediahub.posts.services import update_post
from mediahub.review import services as review


def _approve(item, author, editor):
    review.submit(item, author)
    review.decide(item, editor, "approve", comment="")
    db.session.commit()


def test_a_blog_post_arrives_without_audio_and_is_taken_back(hub, team, remote, make_post):
    anna, eda, group = team
    remote.follow(services.urls(group).actor)
    post = make_post(group, anna, title="Unser Sommerfest", body="Wir **feiern** am Samstag.")
    _approve(post, anna, eda)

    note = remote.wait_for(lambda a: a["type"] == "Create")["object"]
    assert "Unser Sommerfest" in note["content"] and "Wir feiern am Samstag." in note["content"]
    assert not note.get("attachment") and not note.get("sensitive")
    assert note["url"].endswith(f"/groups/trauer/posts/{post.id}")

    review.unpublish(post, eda)
    db.session.commit()
    assert remote.wait_for(lambda a: a["type"] == "Delete")["object"]["id"] == note["id"]


def test_a_server_that_is_down_gets_the_post_later(hub, team, remote, make_episode):
    anna, eda, group = team
    remote.follow(services.urls(group).actor)
    remote.fail_next = 1
    _approve(make_episode(group, anna, title="Folge 2"), anna, eda)

    row = db.session.scalars(db.select(Delivery).where(Delivery.state != "sent")).one()
    assert (row.state, row.attempts) == (DeliveryState.PENDING, 1)
    assert "503" in row.last_error and not [a for a in remote.received if a["type"] == "Create"]
    deliver.call_local(row.id)  # the queue's retry, run now
    db.session.refresh(row)
    assert (row.state, row.attempts) == (DeliveryState.SENT, 2)
    assert remote.wait_for(lambda a: a["type"] == "Create", timeout_s=5)


def test_a_server_that_refuses_for_good_is_not_asked_again(hub, team, remote, make_episode):
    anna, eda, group = team
    remote.follow(services.urls(group).actor)
    remote.fail_next, remote.fail_status = 1, 403
    _approve(make_episode(group, anna), anna, eda)
    row = db.session.scalars(db.select(Delivery).order_by(Delivery.id.desc())).first()
    assert (row.state, row.attempts, row.last_error) == (DeliveryState.FAILED, 1, "answered 403")


def test_followers_on_one_server_get_one_delivery_per_shared_inbox(hub, team, remote):
    _anna, _eda, group = team
    remote.follow(services.urls(group).actor)
    actor = db.session.scalars(db.select(GroupActor)).one()
    # A second follower on the same server (same shared inbox) and one without any.
    for name, shared in (("bob", remote.shared_inbox), ("carol", None)):
        other = RemoteActor(
            actor_url=f"{remote.base_url}/users/{name}",
            domain="127.0.0.1",
            key_id=f"{remote.base_url}/users/{name}#main-key",
            public_key_pem=remote.public_pem,
            inbox=f"{remote.base_url}/users/{name}/inbox",
            shared_inbox=shared,
        )
        db.session.add(other)
        db.session.flush()
        db.session.add(Follower(actor_id=actor.id, remote_id=other.id))
    db.session.flush()
    db.session.query(Delivery).delete()
    assert to_followers(actor, {"type": "Test", "actor": services.urls(group).actor}) == 2
    inboxes = sorted(d.inbox for d in db.session.scalars(db.select(Delivery)))
    assert inboxes == sorted([remote.shared_inbox, f"{remote.base_url}/users/carol/inbox"])
    db.session.rollback()


def test_switching_off_takes_every_post_back(hub, team, remote, make_episode, make_post):
    anna, eda, group = team
    remote.follow(services.urls(group).actor)
    _approve(make_episode(group, anna, title="Folge 3"), anna, eda)
    _approve(make_post(group, anna, title="Ein Text"), anna, eda)
    created = {a["object"]["id"] for a in remote.received if a["type"] == "Create"}
    assert len(created) == 2

    publishing.switch(group, enabled=False, replies=False)
    db.session.commit()
    remote.wait_for(lambda a: sum(x["type"] == "Delete" for x in remote.received) == 2, 10)
    deleted = {a["object"]["id"] for a in remote.received if a["type"] == "Delete"}
    assert deleted == created and remote.refused == []
    assert services.presence(group) is None


def test_a_group_leaving_public_view_leaves_the_fediverse(hub, team, remote, make_episode):
    hub_app, _base = hub
    anna, eda, group = team
    actor_url = services.urls(group).actor
    remote.follow(actor_url)
    _approve(make_episode(group, anna), anna, eda)
    note = remote.wait_for(lambda a: a["type"] == "Create")["object"]

    groups.update_group(group, {"visibility": "unlisted"}, actor=eda)
    db.session.commit()
    assert remote.wait_for(lambda a: a["type"] == "Delete", 10)["object"]["id"] == note["id"]
    client = hub_app.test_client()
    assert client.get(actor_url, headers={"Accept": "application/activity+json"}).status_code == 404
    assert client.get(note["id"]).status_code == 404


def test_a_changed_name_reaches_followers_as_an_update(hub, team, remote):
    _anna, eda, group = team
    remote.follow(services.urls(group).actor)
    groups.update_group(group, {"is_explicit": True}, actor=eda)  # not on the profile
    db.session.commit()
    assert [a["type"] for a in remote.received] == ["Accept"]
    groups.update_group(group, {"name": "Trauercafé Nord"}, actor=eda)
    db.session.commit()
    update = remote.wait_for(lambda a: a["type"] == "Update", 10)
    assert update["object"]["name"] == "Trauercafé Nord"


def test_no_person_is_named_even_when_credited(hub, team, remote, make_episode, make_user):
    _anna, eda, group = team
    author = make_user("Annegret Beispiel")
    groups.set_member(group, author.email, "member")
    db.session.commit()
    remote.follow(services.urls(group).actor)
    _approve(make_episode(group, author, title="Folge 4"), author, eda)
    create = remote.wait_for(lambda a: a["type"] == "Create")
    # Posts carry the group's words only: an author who later withdraws their
    # name or deletes their account was never named in the fediverse.
    assert "Annegret" not in str(create) and author.email not in str(create)


def test_a_delivery_whose_task_was_lost_is_sent_by_the_reconciler(hub, team, remote):
    _anna, _eda, group = team
    remote.follow(services.urls(group).actor)
    actor = db.session.scalars(db.select(GroupActor)).one()
    activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{services.urls(group).actor}#lost",
        "type": "Update",
        "actor": services.urls(group).actor,
        "object": services.urls(group).actor,
    }
    # A row whose queued task died with its worker a quarter of an hour ago.
    row = Delivery(
        actor_id=actor.id,
        inbox=remote.inbox,
        activity=activity,
        next_attempt_at=utcnow() - dt.timedelta(minutes=15),
    )
    db.session.add(row)
    db.session.commit()
    assert reconcile() == [row.id]
    assert remote.wait_for(lambda a: a.get("id") == activity["id"], 5)
    db.session.refresh(row)
    assert row.state == DeliveryState.SENT and reconcile() == []


def test_a_correction_of_a_published_post_reaches_followers(hub, team, remote, make_post):
    anna, eda, group = team
    remote.follow(services.urls(group).actor)
    post = make_post(group, anna, title="Treffen mit Herrn Maier", body="Am Montag.")
    _approve(post, anna, eda)
    note = remote.wait_for(lambda a: a["type"] == "Create")["object"]

    update_post(post, eda, {"title": "Treffen am Montag"})
    db.session.commit()
    update = remote.wait_for(lambda a: a["type"] == "Update", 10)
    assert update["object"]["id"] == note["id"] and update["object"]["updated"]
    assert "Treffen am Montag" in update["object"]["content"]
    assert "Maier" not in update["object"]["content"]
    served = hub[0].test_client().get(note["id"], headers={"Accept": "application/activity+json"})
    assert "Maier" not in served.get_data(as_text=True)


def test_a_scheduled_episode_is_posted_when_the_scheduler_publishes_it(
    hub, team, remote, make_episode
):
    anna, eda, group = team
    remote.follow(services.urls(group).actor)
    episode = make_episode(group, anna, title="Folge am Freitag")
    review.submit(episode, anna)
    when = utcnow() + dt.timedelta(days=2)
    review.decide(episode, eda, "approve", comment="", publish_at=when)
    db.session.commit()
    assert [a["type"] for a in remote.received] == ["Accept"]  # nothing before its time
    review.publish_scheduled(episode, now=when + dt.timedelta(seconds=1))
    db.session.commit()
    assert (
        "Folge am Freitag" in remote.wait_for(lambda a: a["type"] == "Create")["object"]["content"]
    )
