"""The addresses other servers talk to: WebFinger, NodeInfo, the group's
actor, its collections and posts, and the inboxes.

Every incoming activity passes the same gates, in this order: a size bound
before the body is read (``FEDIVERSE_MAX_ACTIVITY_BYTES``, 413), a rate
limit per sending server (``FEDIVERSE_INBOX_RATE_LIMIT``, 429), the HTTP
signature with its digest, date and host (:mod:`.signatures`, 401), our
bounded JSON parser (depth, numbers, text; 400), and the activity's actor
being its signer. Only then does :func:`.federation.receive` look at it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from flask import Response as FlaskResponse
from flask import abort, current_app, redirect, request, url_for
from sqlalchemy import func, select

from mediahub.core.extensions import csrf, db, limiter
from mediahub.core.urls import absolute_url
from mediahub.fediverse import documents, federation, services
from mediahub.fediverse.blueprint import ACTIVITY_JSON, JRD_JSON, bp
from mediahub.fediverse.models import FederatedItem, GroupActor
from mediahub.fediverse.signatures import SignatureError, verify
from mediahub.groups.models import Group
from mediahub.web import jsonbody
from mediahub.web.errors import error_body

PAGE = 20


def _json(document: Any, content_type: str = ACTIVITY_JSON, status: int = 200) -> FlaskResponse:
    resp = FlaskResponse(json.dumps(document), status=status, content_type=content_type)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Vary"] = "Accept"
    return resp


def _refuse(status: int, code: str, message: str) -> FlaskResponse:
    return _json(error_body(code, message), "application/json", status)


def _present(group: Group | None) -> tuple[Group, GroupActor]:
    actor = services.presence(group) if group is not None else None
    if group is None or actor is None:
        abort(404)
    return group, actor


def _present_group(group_id: int) -> tuple[Group, GroupActor]:
    """The group behind an actor address: its id, which (unlike its short
    name) never changes, so followers stay with it when it is renamed."""
    return _present(db.session.get(Group, group_id))


@bp.route("/.well-known/webfinger")
def webfinger() -> Any:
    resource = request.args.get("resource", "")[:300]
    host = services.domain()
    group = None
    if resource.lower().startswith("acct:"):
        name, _, at = resource[5:].lstrip("@").rpartition("@")
        if at.lower() == host.lower() and 0 < len(name) <= 100:
            group = db.session.scalar(select(Group).where(Group.slug == name.lower()))
    elif resource.startswith(services.actors_prefix()):
        tail = resource.removeprefix(services.actors_prefix())
        group = db.session.get(Group, int(tail)) if tail.isdecimal() and len(tail) < 10 else None
    group, _actor = _present(group)
    urls = services.urls(group)
    page = absolute_url("site.group_page", slug=group.slug)
    return _json(documents.webfinger(group.slug, host, urls.actor, page), JRD_JSON)


@bp.route("/.well-known/nodeinfo")
def nodeinfo_links() -> Any:
    return _json(documents.nodeinfo_links(absolute_url("fediverse.nodeinfo")), "application/json")


@bp.route("/nodeinfo/2.1")
def nodeinfo() -> Any:
    actors = db.session.scalar(select(func.count(GroupActor.id)).where(GroupActor.is_enabled)) or 0
    posts = (
        db.session.scalar(
            select(func.count(FederatedItem.id)).where(FederatedItem.deleted_at.is_(None))
        )
        or 0
    )
    doc = documents.nodeinfo(
        version="0.1.0", name=current_app.config["HUB_NAME"], actors=actors, posts=posts
    )
    profile = 'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"'
    return _json(doc, profile)


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", ACTIVITY_JSON, "application/ld+json"])
    return best == "text/html"


@bp.route("/fediverse/groups/<int:group_id>")
def actor(group_id: int) -> Any:
    """The group as an actor (a person's browser is sent to the group's page)."""
    group, group_actor = _present_group(group_id)
    if _wants_html():
        return redirect(url_for("site.group_page", slug=group.slug))
    return _json(services.actor_document(group, group_actor))


@bp.route("/fediverse/groups/<int:group_id>/items/<name>")
def item(group_id: int, name: str) -> Any:
    """A post we sent; ``410 Gone`` once it was taken back."""
    group, _actor = _present_group(group_id)
    row = db.session.scalar(
        select(FederatedItem).where(FederatedItem.object_url == absolute_url(
            "fediverse.item", group_id=group.id, name=name
        ))
    )  # fmt: skip
    if row is None:
        abort(404)
    if row.deleted_at is not None:
        return _json({"id": row.object_url, "type": "Tombstone"}, status=410)
    if _wants_html():
        return redirect(row.document.get("url") or url_for("site.group_page", slug=group.slug))
    return _json({"@context": documents.AP_CONTEXT, **row.document})


@bp.route("/fediverse/groups/<int:group_id>/outbox")
def outbox(group_id: int) -> Any:
    group, group_actor = _present_group(group_id)
    rows = list(
        db.session.scalars(
            select(FederatedItem)
            .where(FederatedItem.actor_id == group_actor.id, FederatedItem.deleted_at.is_(None))
            .order_by(FederatedItem.published_at.desc())
            .limit(PAGE)
        )
    )
    urls = services.urls(group)
    return _json(
        {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": urls.outbox,
            "type": "OrderedCollection",
            "totalItems": len(rows),
            "orderedItems": [documents.create(urls, r.document) for r in rows],
        }
    )


@bp.route("/fediverse/groups/<int:group_id>/followers")
def followers(group_id: int) -> Any:
    """How many follow the group; who they are is nobody's business."""
    group, group_actor = _present_group(group_id)
    return _collection(services.urls(group).followers, services.follower_count(group_actor))


@bp.route("/fediverse/groups/<int:group_id>/following")
def following(group_id: int) -> Any:
    group, _actor = _present_group(group_id)
    return _collection(services.urls(group).following, 0)


def _collection(url: str, total: int) -> Any:
    return _json(
        {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": url,
            "type": "OrderedCollection",
            "totalItems": total,
        }
    )


def _claimed_key_id() -> tuple[str, str | None]:
    """The ``keyId`` the request's signature claims, and its host (not yet
    checked: for the rate limit and blocks, before anything is fetched)."""
    signature = request.headers.get("Signature", "")[:4096]
    start = signature.find('keyId="')
    key_id = signature[start + 7 :].split('"', 1)[0] if start >= 0 else ""
    try:
        host = urlsplit(key_id).hostname if key_id.startswith("http") else None
    except ValueError:  # e.g. "http://[x": not a URL at all
        host = None
    return key_id, host


def _sender_key() -> str:
    """Rate-limit key: the signing server (a host name, nobody's address)."""
    return f"fediverse:{(_claimed_key_id()[1] or 'unsigned')[:255]}"


def _blocked_sender(group: Group | None) -> bool:
    """The group blocked the claimed signer or its server: nothing of it is
    fetched or kept."""
    key_id, host = _claimed_key_id()
    actor_url = key_id.split("#", 1)[0]
    return group is not None and services.is_blocked(group.id, actor_url, host or "")


def _inbox_limit() -> str:
    return str(current_app.config["FEDIVERSE_INBOX_RATE_LIMIT"])


def _receive(group: Group | None) -> Any:
    limit = current_app.config["FEDIVERSE_MAX_ACTIVITY_BYTES"]
    if request.content_length is None or request.content_length > limit:
        return _refuse(413, "too_large", f"An activity is at most {limit} bytes.")
    body = request.get_data(cache=False)
    if len(body) > limit:
        return _refuse(413, "too_large", f"An activity is at most {limit} bytes.")
    if _blocked_sender(group):
        return FlaskResponse("", status=202)  # as if taken: a block is not announced
    via = services.presence(group) if group is not None else None
    try:
        signer = verify(
            method="POST",
            path=request.full_path.rstrip("?"),
            headers=dict(request.headers),
            body=body,
            our_host=services.domain(),
            key_for=lambda key_id: federation.key_for(key_id, via=via),
        )
        activity = jsonbody.loads(body)
    except SignatureError as err:
        db.session.rollback()
        return _refuse(401, "bad_signature", str(err))
    except jsonbody.BadJSON as err:
        return _refuse(400, "bad_json", str(err))
    if not isinstance(activity, dict) or activity.get("actor") != signer:
        return _refuse(400, "bad_activity", "The activity must be an object sent by its actor.")
    outcome = federation.receive(activity, signer, group)
    current_app.logger.info("fediverse activity from %s: %s", urlsplit(signer).hostname, outcome)
    return FlaskResponse("", status=202)


@bp.route("/fediverse/groups/<int:group_id>/inbox", methods=["POST"])
@csrf.exempt
@limiter.limit(_inbox_limit, key_func=_sender_key)
def group_inbox(group_id: int) -> Any:
    group, _actor = _present_group(group_id)
    return _receive(group)


@bp.route("/fediverse/inbox", methods=["POST"])
@csrf.exempt
@limiter.limit(_inbox_limit, key_func=_sender_key)
def shared_inbox() -> Any:
    return _receive(None)
