"""The test fediverse server works as a real one would: two of them on
loopback accept each other's signed deliveries and refuse forged ones; and
our own signature check accepts what it signs."""

from __future__ import annotations

import pytest

from mediahub.fediverse.remote import get_json
from mediahub.fediverse.signatures import RemoteKey, verify

from .remote_server import RemoteServer, serving


@pytest.fixture
def two_servers():
    with serving(RemoteServer) as (a, _), serving(RemoteServer) as (b, _):
        yield a, b


def test_a_signed_delivery_arrives(two_servers):
    a, b = two_servers
    follow = a.follow_activity(b.actor)
    assert a.send(b.inbox, follow) == 202
    assert b.wait_for(lambda act: act["type"] == "Follow", timeout_s=5) == follow


def test_a_forged_delivery_is_refused(two_servers):
    a, b = two_servers
    activity = a.follow_activity(b.actor)
    a.key_id = b.key_id  # claims to be b, signed with a's key
    assert a.send(b.shared_inbox, activity) == 401
    assert b.received == [] and b.refused


def test_our_check_accepts_what_the_test_server_signs(two_servers):
    a, b = two_servers
    from urllib.parse import urlsplit

    from pubby.crypto import sign_request

    body = b'{"type": "Follow"}'
    headers = sign_request(a._private, a.key_id, "POST", b.inbox, body=body)
    actor = get_json(a.actor, headers={}, allow_private=True)

    def key_for(key_id: str) -> RemoteKey:
        pk = actor["publicKey"]
        return RemoteKey(pk["id"], pk["owner"], pk["publicKeyPem"])

    host = urlsplit(b.inbox).netloc
    signer = verify(
        method="POST",
        path=urlsplit(b.inbox).path,
        headers=headers,
        body=body,
        our_host=host,
        key_for=key_for,
    )
    assert signer == a.actor
