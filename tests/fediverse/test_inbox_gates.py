"""Every incoming activity passes the inbox's gates: a signature by the
activity's own actor, a digest of the very body, a bounded size and bounded
JSON. Whatever is sent, the answer is a 4xx with a JSON error (never a 5xx),
and nothing is kept from a request that failed a gate.

The signer is a real test server on loopback (``RemoteServer``): the hub
fetches its actor document and key over HTTP, as it would from Mastodon."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import request_finished
from pubby.crypto import sign_request

from mediahub.core.extensions import db
from mediahub.fediverse import services
from mediahub.fediverse.models import Follower, RemoteActor, RemoteReply

from .remote_server import RemoteServer, serving

HUB = "http://hub.test"
SHARED = "/fediverse/inbox"


@pytest.fixture
def app_config(app_config):
    app_config["FEDIVERSE_ALLOW_PRIVATE_ADDRESSES"] = True  # the signer is on 127.0.0.1
    return app_config


@pytest.fixture(autouse=True)
def no_server_error(app, caplog):
    """Fail the test on any 5xx answer or logged traceback (as tests/security does)."""
    statuses: list[int] = []

    def record(sender: Any, response: Any, **extra: Any) -> None:
        statuses.append(response.status_code)

    caplog.set_level(logging.INFO)
    request_finished.connect(record, app)
    yield statuses
    request_finished.disconnect(record, app)
    assert not [s for s in statuses if s >= 500]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.fixture(scope="module")
def alice():
    with serving(RemoteServer) as (server, _base):
        yield server


@pytest.fixture
def group(make_group, make_user):
    eda = make_user("Eda")
    group = make_group("trauer", name="Trauercafé", members={eda: "manager"})
    services.set_presence(group, enabled=True, replies=True)
    db.session.commit()
    return group


def inbox_of(group) -> str:
    return f"/fediverse/groups/{group.id}/inbox"


def post_signed(client, sender: RemoteServer, path: str, body: bytes, **change: Any):
    """POST ``body`` to ``path`` signed by ``sender``; ``change`` replaces headers
    after signing (a forgery) or, with ``key_id``, signs under another key's name."""
    key_id = change.pop("key_id", sender.key_id)
    headers = sign_request(
        sender._private,
        key_id,
        "POST",
        f"{HUB}{path}",
        body=body,
        headers={"Content-Type": "application/activity+json"},
    )
    headers.update(change)
    return client.post(path, data=body, headers=headers, base_url=HUB)


def assert_json_error(answer, status: int) -> dict:
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.is_json and set(answer.json["error"]) >= {"code", "message"}
    return answer.json["error"]


def nothing_kept() -> bool:
    return (
        not db.session.scalars(db.select(Follower)).first()
        and not db.session.scalars(db.select(RemoteReply)).first()
    )


def test_a_signed_follow_passes_every_gate(client, alice, group):
    follow = json.dumps(alice.follow_activity(services.urls(group).actor)).encode()
    assert post_signed(client, alice, inbox_of(group), follow).status_code == 202
    assert db.session.scalars(db.select(Follower)).one().remote.actor_url == alice.actor


def test_a_follow_through_the_shared_inbox_finds_its_group(client, alice, group):
    follow = json.dumps(alice.follow_activity(services.urls(group).actor)).encode()
    assert post_signed(client, alice, SHARED, follow).status_code == 202
    assert db.session.scalars(db.select(Follower)).one().actor_id == services.presence(group).id


def test_an_unsigned_activity_is_refused(client, alice, group):
    follow = json.dumps(alice.follow_activity(services.urls(group).actor)).encode()
    answer = client.post(inbox_of(group), data=follow, content_type="application/activity+json")
    assert assert_json_error(answer, 401)["code"] == "bad_signature"
    assert nothing_kept()


@pytest.mark.parametrize(
    "forgery",
    [
        {"Signature": 'keyId="x",signature="AAAA"'},
        {"Signature": "garbage" * 50},
        {"Signature": "x" * 10_000},
        {"Signature": 'keyId="http://[x/#k",signature="AAAA"'},
        {"Digest": "SHA-256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},
        {"Date": "Mon, 01 Jan 2001 00:00:00 GMT"},
        {"Date": "not a date"},
    ],
    ids=["short", "malformed", "huge", "bad-url", "digest", "stale", "bad-date"],
)
def test_a_forged_or_broken_signature_is_refused(client, alice, group, forgery):
    follow = json.dumps(alice.follow_activity(services.urls(group).actor)).encode()
    assert_json_error(post_signed(client, alice, inbox_of(group), follow, **forgery), 401)
    assert nothing_kept()


def test_a_signature_by_somebody_else_s_key_is_refused(client, alice, group):
    with serving(RemoteServer) as (bob, _base):
        # Bob's activity, signed with alice's key but naming bob's key.
        follow = json.dumps(bob.follow_activity(services.urls(group).actor)).encode()
        assert_json_error(
            post_signed(client, alice, inbox_of(group), follow, key_id=bob.key_id), 401
        )
    assert nothing_kept()


def test_an_activity_for_another_actor_than_its_signer_is_refused(client, alice, group):
    follow = alice.follow_activity(services.urls(group).actor)
    follow["actor"] = "http://127.0.0.1:1/users/mallory"
    answer = post_signed(client, alice, inbox_of(group), json.dumps(follow).encode())
    assert_json_error(answer, 400)
    assert nothing_kept()


def test_a_request_signed_for_another_server_is_refused(client, alice, group):
    follow = json.dumps(alice.follow_activity(services.urls(group).actor)).encode()
    headers = sign_request(
        alice._private, alice.key_id, "POST", f"http://evil.test{inbox_of(group)}", follow
    )
    answer = client.post(inbox_of(group), data=follow, headers=headers, base_url="http://evil.test")
    assert_json_error(answer, 401)
    assert nothing_kept()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"type": "Follow", "n": NaN}',
        b'{"type": "Follow", "n": 1e400}',
        b'{"type": "Follow", "n": ' + b"9" * 5000 + b"}",
        b"\xff\xfe not utf-8",
        b"not json at all",
        b'["an", "array"]',
        b'"a string"',
        b"{}",
    ],
    ids=["deep", "nan", "huge-float", "long-int", "not-utf8", "not-json", "array", "str", "empty"],
)
def test_hostile_json_with_a_valid_signature_is_a_4xx(client, alice, group, body):
    answer = post_signed(client, alice, SHARED, body)
    assert 400 <= answer.status_code < 500
    assert_json_error(answer, answer.status_code)
    assert nothing_kept()


def test_an_activity_beyond_the_size_limit_is_refused_before_reading(client, alice, group, app):
    limit = app.config["FEDIVERSE_MAX_ACTIVITY_BYTES"]
    body = json.dumps({"type": "Note", "content": "x" * limit}).encode()
    assert_json_error(post_signed(client, alice, SHARED, body), 413)


@pytest.mark.parametrize(
    "change",
    [
        {"inReplyTo": ["a", "list"]},
        {"inReplyTo": {"id": {"nested": True}}},
        {"inReplyTo": "http://hub.test/" + "x" * 5000},
        {"content": "\ud800 lone \x00 NUL"},
        {"content": ["not", "text"]},
        {"attributedTo": None},
        {"type": ["Note", "Article"]},
    ],
)
def test_odd_shapes_of_a_signed_reply_are_ignored_not_crashing(client, alice, group, change):
    activity = alice.reply_activity(f"{HUB}/fediverse/groups/{group.id}/items/x", "hi")
    activity["object"].update(change)
    assert post_signed(client, alice, SHARED, json.dumps(activity).encode()).status_code == 202
    assert nothing_kept()


def test_a_key_id_too_long_for_us_is_refused_without_fetching(client, alice, group):
    follow = json.dumps(alice.follow_activity(services.urls(group).actor)).encode()
    key_id = f"{alice.actor}?{'x' * 3000}#main-key"
    assert_json_error(post_signed(client, alice, inbox_of(group), follow, key_id=key_id), 401)
    assert db.session.scalars(db.select(RemoteActor)).first() is None


def test_an_inbox_of_a_group_without_presence_is_not_found(client, alice, make_group):
    quiet = make_group("leise", name="Leise")
    path = inbox_of(quiet)
    follow = json.dumps(alice.follow_activity(f"{HUB}/fediverse/groups/{quiet.id}")).encode()
    assert_json_error(post_signed(client, alice, path, follow), 404)
    assert nothing_kept()


def test_a_forged_host_header_builds_nothing(client, group):
    headers = {"Host": "evil.test", "X-Forwarded-Host": "evil.test"}
    accept = {"Accept": "application/activity+json", **headers}
    actor = client.get(f"/fediverse/groups/{group.id}", headers=accept)
    finger = client.get("/.well-known/webfinger?resource=acct:trauer@evil.test", headers=headers)
    good = client.get("/.well-known/webfinger?resource=acct:trauer@hub.test", headers=headers)
    assert "evil" not in actor.get_data(as_text=True)
    assert actor.json["id"] == f"{HUB}/fediverse/groups/{group.id}"
    assert finger.status_code == 404
    assert "evil" not in good.get_data(as_text=True) and good.json["subject"] == (
        "acct:trauer@hub.test"
    )


def test_a_server_sending_too_much_is_slowed_down(client, alice, group, app):
    app.config["FEDIVERSE_INBOX_RATE_LIMIT"] = "3/minute"
    statuses = [
        post_signed(client, alice, SHARED, b'{"type": "Like"}').status_code for _ in range(5)
    ]
    assert statuses[:3] == [400, 400, 400] and statuses[3:] == [429, 429]
    answer = post_signed(client, alice, SHARED, b"{}")
    assert_json_error(answer, 429)


@pytest.mark.parametrize(
    "resource",
    [
        "",
        "acct:",
        "acct:@",
        "acct:trauer@evil.test",
        "acct:a@b@hub.test",
        "acct:" + "x" * 10_000 + "@hub.test",
        "http://hub.test/fediverse/groups/",
        "http://hub.test/fediverse/groups/99999999999999999999",
        "http://hub.test/fediverse/groups/%C2%B2",
        "acct:%ED%A0%80@hub.test",
        "acct:%00@hub.test",
    ],
)
def test_webfinger_answers_odd_resources_with_404(client, group, resource):
    answer = client.get(f"/.well-known/webfinger?resource={resource}")
    assert_json_error(answer, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/fediverse/groups/0",
        "/fediverse/groups/99999999999",
        "/fediverse/groups/-1/outbox",
        "/fediverse/groups/1/items/%00",
        "/fediverse/groups/1/items/" + "x" * 5000,
        "/fediverse/groups/abc/followers",
    ],
)
def test_odd_actor_addresses_are_404(client, group, path):
    assert client.get(path, headers={"Accept": "application/activity+json"}).status_code == 404
