"""Talking with other servers: who signed an incoming activity, what it does
here, and what we send (a post per new item, ``Delete`` when it goes, an
``Accept`` per follow) — each delivery a row and a queued task.

Nothing here contacts anybody on its own: deliveries go only to the inboxes
of the group's followers (or of the one who just followed), and remote
actors are fetched only to check the signature of something they sent us.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from pubby import Follower as PubbyFollower
from pubby import collect_inboxes
from sqlalchemy import delete, select

from mediahub.core import outbound
from mediahub.core.extensions import db
from mediahub.core.queue import enqueue_after_commit
from mediahub.core.types import utcnow
from mediahub.core.urls import absolute_url
from mediahub.fediverse import documents, inbox, remote, services
from mediahub.fediverse.models import (
    URL_LENGTH,
    Delivery,
    DeliveryState,
    FederatedItem,
    Follower,
    GroupActor,
    RemoteActor,
    RemoteReply,
)
from mediahub.fediverse.signatures import RemoteKey, SignatureError, signed_headers
from mediahub.groups.models import Group

log = logging.getLogger(__name__)
#: A remote actor's document (and key) is fetched again after a day.
ACTOR_TTL = dt.timedelta(days=1)


def _allow_private() -> bool:
    return bool(current_app.config["FEDIVERSE_ALLOW_PRIVATE_ADDRESSES"])


# --- remote actors --------------------------------------------------------------


def _url(value: Any) -> str | None:
    """``value`` if it is an http(s) URL short enough for our columns."""
    is_url = isinstance(value, str) and value.startswith(("https://", "http://"))
    return value if is_url and len(value) <= URL_LENGTH else None


def _fetch_headers(url: str, via: GroupActor | None) -> dict[str, str]:
    """Headers of a GET signed by ``via`` (else the first group with a
    presence): servers in "authorized fetch" mode answer only signed GETs."""
    via = via or db.session.scalar(
        select(GroupActor).where(GroupActor.is_enabled).order_by(GroupActor.id).limit(1)
    )
    headers = {"Accept": remote.ACCEPT, "User-Agent": "MediaHub"}
    if via is None:
        return headers
    key_id = services.urls(via.group).key_id
    signed = signed_headers(
        private_key_pem=via.private_key_pem, key_id=key_id, method="GET", url=url
    )
    return {**headers, **signed}


def remote_actor(
    actor_url: str, *, refresh: bool = False, via: GroupActor | None = None
) -> RemoteActor:
    """The remote actor, from our table or fetched (checked, bounded; the GET
    signed by ``via``) when unknown, stale or ``refresh``.

    Raises:
        SignatureError: it cannot be fetched, or its document is not an actor's.
    """
    found = db.session.scalar(select(RemoteActor).where(RemoteActor.actor_url == actor_url))
    if found is not None and not refresh and found.fetched_at > utcnow() - ACTOR_TTL:
        return found
    try:
        doc = remote.get_json(
            actor_url, headers=_fetch_headers(actor_url, via), allow_private=_allow_private()
        )
    except remote.RemoteError as err:
        raise SignatureError(f"cannot fetch the signer: {err}") from None
    key = doc.get("publicKey")
    endpoints = doc.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    if (
        doc.get("id") != actor_url
        or not isinstance(key, dict)
        or key.get("owner") != actor_url
        or not _url(key.get("id"))
        or not isinstance(key.get("publicKeyPem"), str)
        or not _url(doc.get("inbox"))
    ):
        raise SignatureError("the signer's document is not an actor with a key")
    row = found or RemoteActor(actor_url=actor_url)
    row.domain = (urlsplit(actor_url).hostname or "").lower()
    row.key_id, row.public_key_pem = key["id"], key["publicKeyPem"][:10_000]
    row.inbox, row.shared_inbox = doc["inbox"], _url(shared)
    row.name = outbound.line(doc.get("name") if isinstance(doc.get("name"), str) else "")[:200]
    username = doc.get("preferredUsername")
    row.handle = (
        f"@{outbound.line(username)[:100]}@{row.domain}" if isinstance(username, str) else ""
    )
    row.fetched_at = utcnow()
    db.session.add(row)
    db.session.flush()
    return row


def key_for(key_id: str, via: GroupActor | None = None) -> RemoteKey:
    """The key a signature names (its actor fetched again once if the key
    changed; the fetch signed by ``via``, the group addressed)."""
    actor_url = key_id.split("#", 1)[0]
    actor = remote_actor(actor_url, via=via)
    if actor.key_id != key_id:
        actor = remote_actor(actor_url, refresh=True, via=via)
    return RemoteKey(actor.key_id, actor.actor_url, actor.public_key_pem)


# --- incoming -------------------------------------------------------------------


def _group_actor_by_url(url: str | None) -> GroupActor | None:
    """The group actor at ``url`` (``…/fediverse/groups/<id>``), if present."""
    prefix = services.actors_prefix()
    tail = url.removeprefix(prefix) if url and url.startswith(prefix) else ""
    if not tail.isdecimal() or len(tail) > 9:
        return None
    group = db.session.get(Group, int(tail))
    return services.presence(group) if group is not None else None


def _target_of(activity: dict[str, Any], group: Group | None) -> GroupActor | None:
    """The group an activity is for: the inbox's, or (shared inbox) the one it names."""
    if group is not None:
        return services.presence(group)
    obj = activity.get("object")
    if activity.get("type") == "Undo" and isinstance(obj, dict):
        obj = obj.get("object")
    if isinstance(obj, dict) and obj.get("type") in ("Note",):
        parent_url = inbox.object_id(obj.get("inReplyTo"))
        parent = db.session.scalar(
            select(FederatedItem).where(FederatedItem.object_url == parent_url)
        ) if parent_url else None  # fmt: skip
        return db.session.get(GroupActor, parent.actor_id) if parent else None
    return _group_actor_by_url(obj if isinstance(obj, str) else None)


def receive(activity: dict[str, Any], signer: str, group: Group | None = None) -> str:
    """Act on a verified activity; say what was done (for the log and tests)."""
    actor = _target_of(activity, group)
    if activity.get("type") == "Delete":
        return _deleted(signer, activity)
    if actor is None:
        return "no such actor here"
    sender = remote_actor(signer)
    if services.is_blocked(actor.group_id, sender.actor_url, sender.domain):
        return "blocked"
    own = services.urls(actor.group).actor
    kind = inbox.classify(activity, signer=signer, our_actor=own, is_ours=_is_ours(actor))
    if isinstance(kind, inbox.Follow):
        return _follow(actor, sender, kind.activity)
    if isinstance(kind, inbox.Unfollow):
        db.session.execute(
            delete(Follower).where(Follower.actor_id == actor.id, Follower.remote_id == sender.id)
        )
        return "unfollowed"
    if isinstance(kind, inbox.Reply):
        return _reply(actor, sender, kind)
    return f"ignored: {kind.reason}" if isinstance(kind, inbox.Ignored) else "ignored"


def _is_ours(actor: GroupActor) -> Any:
    def check(url: str) -> bool:
        return (
            db.session.scalar(
                select(FederatedItem.id).where(
                    FederatedItem.actor_id == actor.id,
                    FederatedItem.object_url == url,
                    FederatedItem.deleted_at.is_(None),
                )
            )
            is not None
        )

    return check


def _follow(actor: GroupActor, sender: RemoteActor, follow: dict[str, Any]) -> str:
    found = db.session.scalar(
        select(Follower).where(Follower.actor_id == actor.id, Follower.remote_id == sender.id)
    )
    if found is None:
        db.session.add(Follower(actor_id=actor.id, remote_id=sender.id))
    urls = services.urls(actor.group)
    accept = documents.accept(urls, follow, uuid.uuid4().hex)
    queue_delivery(actor, sender.inbox, accept)
    db.session.flush()
    return "followed"


def _reply(actor: GroupActor, sender: RemoteActor, reply: inbox.Reply) -> str:
    if not actor.has_replies:
        return "replies are off"
    item = db.session.scalar(
        select(FederatedItem).where(FederatedItem.object_url == reply.in_reply_to)
    )
    exists = db.session.scalar(
        select(RemoteReply.id).where(RemoteReply.object_url == reply.object_id)
    )
    if item is None or exists is not None:
        return "already kept" if exists else "not ours"
    db.session.add(
        RemoteReply(
            actor_id=actor.id,
            remote_id=sender.id,
            item_id=item.id,
            object_url=reply.object_id,
            text=reply.text,
        )
    )
    db.session.flush()
    return "reply kept for the editors"


def _deleted(signer: str, activity: dict[str, Any]) -> str:
    """A remote note (their reply) or their whole account is gone: so is ours of it."""
    target = inbox.classify(activity, signer=signer, our_actor="", is_ours=lambda _: False)
    if not isinstance(target, inbox.Deleted):
        return "ignored"
    sender = db.session.scalar(select(RemoteActor).where(RemoteActor.actor_url == signer))
    if sender is None:
        return "unknown sender"
    if target.object_id == signer:
        db.session.delete(sender)  # follows and replies cascade
    else:
        db.session.execute(
            delete(RemoteReply).where(
                RemoteReply.object_url == target.object_id, RemoteReply.remote_id == sender.id
            )
        )
    db.session.flush()
    return "deleted"


# --- outgoing -------------------------------------------------------------------


def queue_delivery(actor: GroupActor, inbox_url: str, activity: dict[str, Any]) -> Delivery:
    """One activity to one inbox: a row, and a task once the transaction commits."""
    from mediahub.fediverse.tasks import deliver  # cycle: the task calls send()

    row = Delivery(actor_id=actor.id, inbox=inbox_url, activity=activity)
    db.session.add(row)
    db.session.flush()
    enqueue_after_commit(db.session, deliver, row.id)
    return row


def to_followers(actor: GroupActor, activity: dict[str, Any]) -> int:
    """Queue ``activity`` once per inbox of the followers (shared inboxes
    preferred and de-duplicated by pubby's ``collect_inboxes``)."""
    rows = db.session.scalars(select(Follower).where(Follower.actor_id == actor.id))
    followers = [
        PubbyFollower(f.remote.actor_url, f.remote.inbox, f.remote.shared_inbox or "") for f in rows
    ]
    inboxes = collect_inboxes(followers)
    for inbox_url in inboxes:
        queue_delivery(actor, inbox_url, activity)
    return len(inboxes)


class RetryLater(Exception):
    """The inbox did not take the activity this time; the queue tries again
    in ``delay_s`` seconds."""

    def __init__(self, message: str, delay_s: float) -> None:
        super().__init__(message)
        self.delay_s = delay_s


#: The longest wait between two attempts of a delivery.
MAX_RETRY_DELAY_S = 3600


def send(delivery_id: int) -> None:
    """Sign and POST one delivery. 2xx: sent; 4xx (not 429): failed for good;
    anything else: retried with growing delays, then failed."""
    row = db.session.get(Delivery, delivery_id)
    if row is None or row.state != DeliveryState.PENDING:
        return
    actor = db.session.get(GroupActor, row.actor_id)
    if actor is None:
        return
    body = json.dumps(row.activity).encode()
    key_id = f"{row.activity['actor']}#main-key"
    headers = signed_headers(
        private_key_pem=actor.private_key_pem,
        key_id=key_id,
        method="POST",
        url=row.inbox,
        body=body,
    )
    headers["User-Agent"] = "MediaHub"
    row.attempts += 1
    try:
        answer = remote.request(
            "POST", row.inbox, headers=headers, body=body, allow_private=_allow_private()
        )
        status, error = answer.status, f"answered {answer.status}"
    except remote.RemoteError as err:
        status, error = None, str(err)
    if status is not None and 200 <= status < 300:
        row.state, row.last_error = DeliveryState.SENT, None
    elif (status is not None and 400 <= status < 500 and status != 429) or (
        row.attempts >= current_app.config["FEDIVERSE_DELIVERY_ATTEMPTS"]
    ):
        row.state, row.last_error = DeliveryState.FAILED, error[:500]
    else:
        delay_s = min(30 * 2**row.attempts, MAX_RETRY_DELAY_S)
        row.last_error = error[:500]
        row.next_attempt_at = utcnow() + dt.timedelta(seconds=delay_s)
        db.session.commit()
        raise RetryLater(error, delay_s)
    db.session.commit()


def reconcile(*, now: dt.datetime | None = None) -> list[int]:
    """Pending deliveries whose task was lost (worker killed): queued again."""
    from mediahub.fediverse.tasks import deliver  # cycle: the task calls send()

    now = now or utcnow()
    ids = list(
        db.session.scalars(
            select(Delivery.id).where(
                Delivery.state == DeliveryState.PENDING,
                Delivery.next_attempt_at < now - dt.timedelta(minutes=10),
            )
        )
    )
    db.session.commit()
    for delivery_id in ids:
        deliver(delivery_id)
    return ids


def object_url(item: Any, serial: int) -> str:
    return absolute_url(
        "fediverse.item", group_id=item.group_id, name=f"{item.item_type}-{item.guid}-{serial}"
    )
