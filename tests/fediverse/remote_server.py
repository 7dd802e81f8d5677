"""A minimal fediverse server for tests, on 127.0.0.1, and a way to serve a
MediaHub app over real HTTP beside it.

``RemoteServer`` plays a Mastodon instance with one account (``alice``): it
publishes her actor document and key, signs what she sends (pubby's
``sign_request``), and checks every delivery to her inbox or the shared
inbox the way a real server does — the sender's key fetched from its actor
document over HTTP (once, then kept, as Mastodon does), the signature
checked with pubby, the digest compared —
independently of MediaHub's own checking code. Deliveries that pass are
recorded; ``wait_for`` waits for one (bounded in time).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pubby.crypto import (
    export_public_key_pem,
    generate_rsa_keypair,
    load_public_key,
    sign_request,
    verify_request,
)
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

ACTIVITY = "application/activity+json"


def _placeholder(environ, start_response):  # pragma: no cover - replaced before use
    start_response("503 Service Unavailable", [])
    return [b""]


@contextmanager
def serving(build: Callable[[str], Any]) -> Iterator[tuple[Any, str]]:
    """Serve the WSGI app ``build(base_url)`` on a free loopback port; yield
    ``(app, base_url)``. The port is chosen first, so the app knows its own
    address (its ``BASE_URL``)."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, _placeholder, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app = build(base_url)
    server.app = app
    # A short poll interval: shutting the server down waits for one poll.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield app, base_url
    finally:
        server.shutdown()
        server.server_close()


class RemoteServer:
    """One fediverse account on a server of its own (see the module docstring)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.actor = f"{base_url}/users/alice"
        self.inbox = f"{self.actor}/inbox"
        self.shared_inbox = f"{base_url}/inbox"
        self.key_id = f"{self.actor}#main-key"
        self._private, public = generate_rsa_keypair()
        self.public_pem = export_public_key_pem(public)
        self.received: list[dict] = []
        self.refused: list[str] = []
        #: Senders' keys by key id, fetched once (and again when one fails).
        self.keys: dict[str, Any] = {}
        #: How many of the next deliveries to answer with 503.
        self.fail_next = 0
        self.fail_status = 503
        #: Answer only signed GETs of alice's actor (Mastodon's "secure mode").
        self.authorized_fetch = False
        #: How often alice's actor document was asked for.
        self.actor_fetches = 0
        self._changed = threading.Condition()
        self._serial = 0

    # --- serving -----------------------------------------------------------------

    def actor_document(self) -> dict:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.actor,
            "type": "Person",
            "preferredUsername": "alice",
            "name": "Alice",
            "inbox": self.inbox,
            "outbox": f"{self.actor}/outbox",
            "endpoints": {"sharedInbox": self.shared_inbox},
            "publicKey": {"id": self.key_id, "owner": self.actor, "publicKeyPem": self.public_pem},
        }

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.method == "GET" and request.path == "/users/alice":
            response = self._actor(request)
        elif request.method == "POST" and request.path in ("/users/alice/inbox", "/inbox"):
            response = self._receive(request)
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)

    def _actor(self, request: Request) -> Response:
        self.actor_fetches += 1
        if self.authorized_fetch:  # Mastodon's secure mode: signed GETs only
            try:
                self._check(request, None)
            except Exception as err:
                with self._changed:
                    self.refused.append(f"GET: {err}")
                return Response("signed requests only", status=401)
        return Response(json.dumps(self.actor_document()), content_type=ACTIVITY)

    def _receive(self, request: Request) -> Response:
        body = request.get_data()
        with self._changed:
            if self.fail_next > 0:  # a server that is down for a while (or refuses)
                self.fail_next -= 1
                return Response("not now", status=self.fail_status)
        try:
            self._check(request, body)
        except Exception as err:  # a refused delivery is recorded, never raised
            with self._changed:
                self.refused.append(str(err))
                self._changed.notify_all()
            return Response("bad signature", status=401)
        with self._changed:
            self.received.append(json.loads(body))
            self._changed.notify_all()
        return Response("", status=202)

    def _check(self, request: Request, body: bytes | None) -> None:
        if body is not None:
            digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
            if request.headers.get("Digest") != digest:
                raise ValueError("digest does not match")
        method = request.method
        signature = request.headers.get("Signature", "")
        key_id = signature.split('keyId="', 1)[1].split('"', 1)[0]
        path = request.full_path.rstrip("?")
        if key_id in self.keys:  # known key: no fetch, as Mastodon does
            try:
                verify_request(self.keys[key_id], method, path, dict(request.headers), body)
                return
            except Exception:  # the key may have changed: fetch it again
                del self.keys[key_id]
        sender = self.fetch(key_id.split("#", 1)[0])
        if sender["publicKey"]["id"] != key_id:
            raise ValueError("key is not the sender's")
        public = load_public_key(sender["publicKey"]["publicKeyPem"])
        verify_request(public, method, path, dict(request.headers), body)
        self.keys[key_id] = public

    # --- acting as alice ----------------------------------------------------------

    def fetch(self, url: str, accept: str = ACTIVITY) -> dict:
        signed = sign_request(self._private, self.key_id, "GET", url, headers={"Accept": accept})
        req = urllib.request.Request(url, headers=signed)  # noqa: S310 - loopback test URL
        with urllib.request.urlopen(req, timeout=10) as answer:  # noqa: S310
            return json.loads(answer.read())

    def send(self, inbox: str, activity: dict) -> int:
        """POST ``activity`` to ``inbox`` signed by alice; the status code."""
        body = json.dumps(activity).encode()
        signed = sign_request(
            self._private,
            self.key_id,
            "POST",
            inbox,
            body=body,
            headers={"Content-Type": ACTIVITY},
        )
        req = urllib.request.Request(inbox, data=body, headers=signed, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(req, timeout=10) as answer:  # noqa: S310 - loopback
                return answer.status
        except urllib.error.HTTPError as err:
            return err.code

    def _next_id(self, kind: str) -> str:
        self._serial += 1
        return f"{self.actor}/{kind}/{self._serial}"

    def follow_activity(self, target: str) -> dict:
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": self._next_id("follows"),
            "type": "Follow",
            "actor": self.actor,
            "object": target,
        }

    def reply_activity(self, in_reply_to: str, html: str) -> dict:
        note_id = self._next_id("statuses")
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{note_id}/activity",
            "type": "Create",
            "actor": self.actor,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {
                "id": note_id,
                "type": "Note",
                "attributedTo": self.actor,
                "inReplyTo": in_reply_to,
                "content": html,
                "published": "2026-05-01T12:00:00Z",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
            },
        }

    def follow(self, actor_url: str) -> dict:
        """Follow the actor at ``actor_url`` (its inbox from its document); its ``Accept``."""
        actor = self.fetch(actor_url)
        follow = self.follow_activity(actor_url)
        status = self.send(actor["inbox"], follow)
        assert status == 202, f"the follow was answered {status}"
        return self.wait_for(lambda a: a["type"] == "Accept" and a["object"] == follow, 10)

    def wait_for(self, predicate: Callable[[dict], bool], timeout_s: float = 60) -> dict:
        """The first received activity ``predicate`` accepts, waiting at most ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                for activity in self.received:
                    if predicate(activity):
                        return activity
                left = deadline - time.monotonic()
                if left <= 0:
                    got = f"got {self.received}, refused {self.refused}"
                    raise AssertionError(f"nothing arrived in {timeout_s} s; {got}")
                self._changed.wait(left)
