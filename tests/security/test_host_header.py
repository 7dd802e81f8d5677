"""A forged Host header never comes back: every absolute URL is BASE_URL's.

Each request below is sent with a forged ``Host`` and every header a proxy
fix might believe; none of them may appear in any answer header or body
(links, ``Location``, feeds, API, OpenAPI, sitemaps, Open Graph, JSON-LD,
mails sent on the way).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import request, url_for

from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.feeds.paths import private_path
from mediahub.groups import feed_tokens as tokens
from mediahub.review.workflow import ItemState
from tests.conftest import PASSWORD, close_every_answer

FORGED = {
    "Host": "attacker-host.invalid",
    "X-Forwarded-Host": "xfh.attacker-host.invalid",
    "X-Forwarded-Server": "xfs.attacker-host.invalid",
    "Forwarded": "host=fwd.attacker-host.invalid;proto=https",
}


@pytest.fixture
def client(client: Any) -> Any:
    return close_every_answer(client)


@pytest.fixture
def hub(app, make_user, make_group, make_episode, make_post, api_token) -> dict[str, Any]:
    """A public group with a published episode and post, a draft episode, a
    private group with a listener's address, and the author's API token."""
    author = make_user("Anna")
    group = make_group("offen", members={author: "manager"})
    episode = make_episode(group, author, title="Herbst")
    post = make_post(group, author, title="Notiz")
    for item in (episode, post):
        item.status, item.published_at = ItemState.PUBLISHED, utcnow()
    draft = make_episode(group, author, title="Entwurf", audio=False)
    private = make_group("kreis", visibility="private", members={author: "manager"})
    _row, url = tokens.create_token(private, author, label="Anna")
    db.session.commit()
    feed = private_path(app.config["FEEDS_ROOT"], "kreis", "podcast.xml")
    feed.parent.mkdir(parents=True, exist_ok=True)
    feed.write_bytes(b"<rss><link>http://hub.test/feeds/kreis/private/__FEED_TOKEN__/</link></rss>")
    return {
        "author": author,
        "episode": episode,
        "post": post,
        "draft": draft,
        "secret": url.split("/private/")[1].split("/")[0],
        "auth": api_token(author),
    }


Request = Callable[[Any, dict[str, Any]], Any]


def _get(path: str, *, auth: bool = False, **kw: Any) -> Request:
    def send(client: Any, hub: dict[str, Any]) -> Any:
        headers = {**FORGED, **(hub["auth"] if auth else {}), **kw.pop("headers", {})}
        return client.get(path.format(**hub, guid=hub["episode"].guid), headers=headers, **kw)

    return send


def _tus_create(client: Any, hub: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/episodes/{hub['draft'].id}/audio/uploads",
        headers={**FORGED, **hub["auth"], "Tus-Resumable": "1.0.0", "Upload-Length": "1000"},
    )


def _tus_status(client: Any, hub: dict[str, Any]) -> Any:
    created = _tus_create(client, hub)
    assert created.status_code == 201
    path = created.headers["Location"].removeprefix("http://hub.test")
    return client.get(path, headers={**FORGED, **hub["auth"], "Tus-Resumable": "1.0.0"})


def _feed_token(client: Any, hub: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/groups/kreis/feed-tokens", json={"label": "Ben"}, headers={**FORGED, **hub["auth"]}
    )


def _login(client: Any, hub: dict[str, Any]) -> Any:
    token = client.csrf_token()
    return client.post(
        "/login?next=/account",
        data={"csrf_token": token, "email": hub["author"].email, "password": PASSWORD},
        headers=FORGED,
    )


REQUESTS: dict[str, Request] = {
    "home": _get("/"),
    "group page": _get("/groups/offen/"),
    "group without slash (redirect)": _get("/groups/offen"),
    "episode page (Open Graph, JSON-LD)": _get("/groups/offen/episodes/{episode.id}"),
    "post page": _get("/groups/offen/posts/{post.id}"),
    "embed player": _get("/embed/episodes/{guid}"),
    "sitemap": _get("/sitemap.xml"),
    "robots.txt": _get("/robots.txt"),
    "public feed": _get("/feeds/offen/podcast.xml"),
    "private feed": _get("/feeds/kreis/private/{secret}/podcast.xml"),
    "audio": _get("/media/episodes/{guid}.mp3"),
    "login page": _get("/login"),
    "account (login redirect)": _get("/account"),
    "admin (redirect)": _get("/admin"),
    "missing page": _get("/no/such/page"),
    "api groups": _get("/api/v1/groups"),
    "api group": _get("/api/v1/groups/offen"),
    "api episode": _get("/api/v1/episodes/{episode.id}", auth=True),
    "api post": _get("/api/v1/posts/{post.id}"),
    "api me": _get("/api/v1/users/me", auth=True),
    "openapi": _get("/api/v1/openapi.json"),
    "tus create (Location)": _tus_create,
    "tus status": _tus_status,
    "new private feed address": _feed_token,
    "login (redirect)": _login,
}


def _leaks(resp: Any) -> list[str]:
    text = resp.get_data(as_text=True)
    found = (
        [f"body: …{text[max(0, text.find('attacker') - 60) :][:120]}…"]
        if ("attacker" in text)
        else []
    )
    found += [f"{k}: {v}" for k, v in resp.headers.items() if "attacker" in v]
    return found


@pytest.mark.parametrize("name", list(REQUESTS))
def test_forged_host_never_comes_back(client, hub, name):
    resp = REQUESTS[name](client, hub)
    assert resp.status_code < 500
    assert not _leaks(resp), _leaks(resp)
    location = resp.headers.get("Location", "")
    assert location.startswith(("/", "http://hub.test/")) or not location, location


def test_the_answers_do_carry_links(client, hub):
    """The requests above are worth something: they do answer absolute links."""
    created = _tus_create(client, hub)
    assert created.headers["Location"].startswith("http://hub.test/api/v1/uploads/")
    assert client.get("/groups/offen", headers=FORGED).headers["Location"] == (
        "http://hub.test/groups/offen/"
    )
    page = client.get(f"/groups/offen/episodes/{hub['episode'].id}", headers=FORGED)
    assert 'content="http://hub.test/groups/offen/episodes/' in page.get_data(as_text=True)


def test_whatever_reads_the_host_reads_base_url(app, client):
    """The mechanism: inside a request, the host is BASE_URL's whatever was sent."""

    @app.route("/_probe")
    def probe() -> dict[str, str]:
        return {
            "host": request.host,
            "url_root": request.url_root,
            "url": request.url,
            "external": url_for("site.home", _external=True),
        }

    seen = client.get("/_probe", headers=FORGED).get_json()
    assert seen == {
        "host": "hub.test",
        "url_root": "http://hub.test/",
        "url": "http://hub.test/_probe",
        "external": "http://hub.test/",
    }


def test_mails_sent_during_a_forged_request_link_to_base_url(
    app, smtp, client, make_user, make_group, api_token
):
    # (The suite's autouse fixture made the app already: point it at the server.)
    inbox, port = smtp
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    manager = make_user("Mira")
    make_group("trauer", members={manager: "manager"})
    resp = client.post(
        "/api/v1/groups/trauer/invitations",
        json={"email": "neu@example.org", "role": "member"},
        headers={**FORGED, **api_token(manager)},
    )
    assert resp.status_code == 201, resp.get_json()
    (mail,) = inbox.to("neu@example.org")
    body = inbox.body(mail)
    assert "http://hub.test/invitations/" in body
    assert "attacker" not in body and "attacker" not in str(mail)
