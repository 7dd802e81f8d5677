"""Scheduled publishing is done by the queue's scheduler, on time."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest

from mediahub.core.extensions import db
from mediahub.posts.models import Post
from mediahub.review.models import ReviewEvent
from mediahub.review.tasks import publish_due
from mediahub.review.workflow import ItemState


@pytest.fixture
def in_review(make_user, make_group, make_post, api_token):
    author, editor = make_user(), make_user()
    group = make_group("gx", members={author: "member", editor: "editor"})
    post = make_post(group, author, title="Zum Jahrestag")
    post.status = ItemState.IN_REVIEW
    db.session.commit()
    return post, api_token(editor)


def test_approve_for_later_schedules_and_scheduler_publishes(client, in_review):
    post, editor = in_review
    when = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    resp = client.post(
        f"/api/v1/posts/{post.id}/review",
        headers=editor,
        json={"decision": "approve", "publish_at": when.isoformat()},
    )
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "scheduled"
    page = resp.get_json()["page_url"].removeprefix("http://hub.test")
    assert client.get(page).status_code == 404

    assert publish_due(now=when - dt.timedelta(minutes=1)) == 0
    assert publish_due(now=when + dt.timedelta(seconds=1)) == 1
    db.session.expire_all()
    assert post.status == ItemState.PUBLISHED
    assert post.published_at == when.replace(microsecond=when.microsecond)
    event = db.session.scalars(db.select(ReviewEvent).order_by(ReviewEvent.id.desc())).first()
    assert (event.action, event.actor_id) == ("publish", None)
    assert client.get(page).status_code == 200


def test_publish_time_in_the_past_publishes_now(client, in_review):
    post, editor = in_review
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    resp = client.post(
        f"/api/v1/posts/{post.id}/review",
        headers=editor,
        json={"decision": "approve", "publish_at": past.isoformat()},
    )
    assert resp.get_json()["status"] == "published"


def test_publish_time_needs_an_offset(client, in_review):
    post, editor = in_review
    resp = client.post(
        f"/api/v1/posts/{post.id}/review",
        headers=editor,
        json={"decision": "approve", "publish_at": "2030-01-01T10:00:00"},
    )
    assert resp.status_code == 422
    assert "publish_at" in resp.get_json()["error"]["fields"]


@pytest.fixture
def real_queue_config(app_config):
    """The configured queue for real: Redis when MEDIAHUB_TEST_QUEUE_URL is set
    (CI's second run), else Huey's SQLite file in the instance folder."""
    return {
        **app_config,
        "QUEUE_IMMEDIATE": False,
        "QUEUE_URL": os.environ.get("MEDIAHUB_TEST_QUEUE_URL"),
    }


def test_real_consumer_publishes_on_time(real_queue_config, make_user, make_group, make_post):
    from mediahub import create_app
    from mediahub.core.queue import huey

    app = create_app(real_queue_config)
    with app.app_context():
        author, editor = make_user(), make_user()
        group = make_group("gq", members={author: "member", editor: "editor"})
        post = make_post(group, author)
        post.status = ItemState.IN_REVIEW
        db.session.commit()
        huey.flush()  # creating the group asked for a feed rebuild
        from mediahub.review import services

        when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
        services.approve(post, editor, publish_at=when)
        assert huey.pending_count() == 0  # nothing is enqueued before the commit
        db.session.commit()
        post_id = post.id
        # The queue holds the publication (not a page view), beside the author's mail.
        pending = sorted(task.name.rsplit(".", 1)[-1] for task in huey.pending())
        assert pending == ["publish_item", "send_notification"], pending

    previous = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    consumer = huey.create_consumer(
        workers=1,
        worker_type="thread",
        periodic=False,
        scheduler_interval=1,
        check_worker_health=False,
    )
    consumer.start()
    try:
        deadline = time.monotonic() + 20
        status = None
        while time.monotonic() < deadline:
            with app.app_context():
                status = db.session.get(Post, post_id).status
                db.session.remove()
            if status == ItemState.PUBLISHED:
                break
            time.sleep(0.2)
    finally:
        consumer.stop(graceful=True)
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])
        with app.app_context():
            huey.flush()
    assert status == ItemState.PUBLISHED
    with app.app_context():
        published_at = db.session.get(Post, post_id).published_at
        assert abs((published_at - when).total_seconds()) < 1
