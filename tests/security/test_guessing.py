"""Guessing secret addresses is limited; real listeners never are.

Everyone behind one clinic Wi-Fi or carrier NAT shares an address with
whoever is scanning there. Only failed look-ups count against the address;
a valid secret is answered whatever the count.
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import current_app
from PIL import Image

from mediahub import create_app
from mediahub.core.extensions import db, limiter
from mediahub.core.types import utcnow
from mediahub.feeds.paths import private_path
from mediahub.groups import feed_tokens as tokens
from mediahub.review.workflow import ItemState
from tests.conftest import close_every_answer

REDIS_URL = os.environ.get("MEDIAHUB_TEST_REDIS_URL")
#: Where the counts live: in memory (one machine) and, when the test run has
#: a Redis server, in Redis (several web machines share it).
STORAGES = ["memory://", *([REDIS_URL] if REDIS_URL else [])]


@pytest.fixture(params=STORAGES, ids=lambda url: url.split(":")[0])
def storage_uri(request: Any) -> str:
    return request.param


@pytest.fixture
def app_config(storage_uri: str, app_config: dict[str, Any]) -> dict[str, Any]:
    return {
        **app_config,
        "RATELIMIT_STORAGE_URI": storage_uri,
        # Each test counts on its own, also in a shared Redis.
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }


@pytest.fixture(autouse=True)
def _no_earlier_counts(app: Any) -> None:
    # Flask-Limiter is one object per process and keeps the first app's key
    # prefix: in a shared Redis, counts of earlier tests would still be there.
    limiter.reset()


@pytest.fixture
def client(client: Any) -> Any:
    return close_every_answer(client)


@pytest.fixture
def listener(app: Any, make_user: Any, make_group: Any, make_episode: Any) -> dict[str, Any]:
    """A private group with a published episode, and one listener's addresses."""
    manager = make_user("Mira")
    group = make_group("kreis", visibility="private", members={manager: "manager"})
    episode = make_episode(group, manager)
    episode.status, episode.published_at = ItemState.PUBLISHED, utcnow()
    episode.transcript_vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nWillkommen.\n"
    episode.chapters = [{"start_s": 0.0, "title": "Ankommen"}]
    _row, url = tokens.create_token(group, manager, label="Anna")
    db.session.commit()
    for name in ("podcast.xml", "blog.atom"):
        path = private_path(app.config["FEEDS_ROOT"], "kreis", name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"<rss>__FEED_TOKEN__</rss>")
    secret = url.split("/private/")[1].split("/")[0]
    return {"secret": secret, "guid": episode.guid, "group": group, "manager": manager}


def _post_image(group: Any, uploader: Any) -> str:
    from mediahub.media.images import store_post_image
    from mediahub.posts.views import post_image_url

    png = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(png, "PNG")
    png.seek(0)
    asset = store_post_image(png, uploader=uploader, group=group)
    db.session.commit()
    with current_app.test_request_context():
        return post_image_url(asset)


#: Per kind of secret address: (valid address, a wrong guess of it).
KINDS: dict[str, Callable[[dict[str, Any], str], str]] = {
    "podcast feed": lambda x, s: f"/feeds/kreis/private/{s}/podcast.xml",
    "blog feed": lambda x, s: f"/feeds/kreis/private/{s}/blog.atom",
    "audio": lambda x, s: f"/media/private/{s}/episodes/{x['guid']}.mp3",
    "transcript": lambda x, s: f"/media/private/{s}/episodes/{x['guid']}.vtt",
    "chapters": lambda x, s: f"/media/private/{s}/episodes/{x['guid']}.chapters.json",
}


def _guess(n: int) -> str:
    return f"guess-{n}-{uuid.uuid4().hex[:8]}"


def test_forty_wrong_guesses_do_not_lock_out_the_listener(client, listener):
    """The case from the report: a scanner on the clinic Wi-Fi."""
    secret, guid = listener["secret"], listener["guid"]
    statuses = [
        client.get(f"/feeds/kreis/private/{_guess(n)}/podcast.xml").status_code for n in range(40)
    ]
    assert statuses == [404] * 30 + [429] * 10  # SECRET_GUESS_LIMIT: 30 per minute
    feed = client.get(f"/feeds/kreis/private/{secret}/podcast.xml")
    assert feed.status_code == 200 and secret.encode() in feed.data
    audio = client.get(f"/media/private/{secret}/episodes/{guid}.mp3")
    assert audio.status_code == 200 and audio.data.startswith(b"ID3")
    part = client.get(
        f"/media/private/{secret}/episodes/{guid}.mp3", headers={"Range": "bytes=0-9"}
    )
    assert part.status_code == 206
    wrong = client.get(f"/media/private/{_guess(99)}/episodes/{guid}.mp3")
    assert wrong.status_code == 429
    assert int(wrong.headers["Retry-After"]) > 0


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_secret_address_counts_failures_only(app, client, listener, kind):
    app.config["SECRET_GUESS_LIMIT"] = "3 per minute"
    address = KINDS[kind]
    for _ in range(5):  # valid look-ups cost nothing
        assert client.get(address(listener, listener["secret"])).status_code == 200
    statuses = [client.get(address(listener, _guess(n))).status_code for n in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
    assert client.get(address(listener, listener["secret"])).status_code == 200


def test_guesses_spread_over_kinds_share_one_budget(app, client, listener):
    app.config["SECRET_GUESS_LIMIT"] = "4 per minute"
    guesses = [KINDS[kind](listener, _guess(n)) for n, kind in enumerate(KINDS)]
    assert [client.get(url).status_code for url in guesses] == [404] * 4 + [429]


def test_other_addresses_keep_their_own_budget(app, client, listener):
    app.config["SECRET_GUESS_LIMIT"] = "2 per minute"
    url = f"/feeds/kreis/private/{_guess(1)}/podcast.xml"
    assert [client.get(url).status_code for _ in range(3)] == [404, 404, 429]
    elsewhere = {"REMOTE_ADDR": "192.0.2.77"}
    assert client.get(url, environ_base=elsewhere).status_code == 404


def test_post_pictures_and_artwork_count_failures_only(app, client, listener):
    from mediahub.core.urls import absolute_url
    from mediahub.media.artwork import cover_url

    app.config["SECRET_GUESS_LIMIT"] = "2 per minute"
    picture = _post_image(listener["group"], listener["manager"]).removeprefix("http://hub.test")
    token = picture.rsplit("-", 1)[1].split(".")[0]
    wrong = picture.replace(token, "0" * len(token))
    cover = cover_url(listener["group"], absolute_url, token=listener["secret"])
    cover = cover.removeprefix("http://hub.test")
    wrong_cover = cover.replace(listener["secret"], _guess(1))
    member = client  # the picture is for members of the private group
    member.post_form(
        "/login", {"email": listener["manager"].email, "password": "correct horse battery"}
    )
    assert [member.get(u).status_code for u in (wrong, wrong_cover, wrong)] == [404, 404, 429]
    assert member.get(picture).status_code == 200
    assert member.get(cover).status_code == 200


def test_invitation_unsubscribe_and_email_links_count_failures_only(
    app, client, listener, make_user
):
    from mediahub.mail.unsubscribe import unsubscribe_url

    app.config["SECRET_GUESS_LIMIT"] = "2 per minute"
    person = make_user("Paula")
    unsubscribe = unsubscribe_url(person).removeprefix("http://hub.test")
    statuses = [
        client.get(f"/invitations/{_guess(1)}").status_code,
        client.get(f"/unsubscribe/{_guess(2)}").status_code,
        client.get(f"/account/email/{_guess(3)}").status_code,
        client.get(f"/invitations/{_guess(4)}").status_code,
    ]
    assert statuses == [404, 404, 429, 429]
    assert client.get(unsubscribe).status_code == 200


if REDIS_URL:  # a test run without a Redis server has nothing to share

    @pytest.mark.parametrize("storage_uri", [REDIS_URL], ids=["redis"])
    def test_a_second_web_machine_shares_the_budget(app, app_config, client, listener):
        """Guesses spread over several web machines are counted together (Redis)."""
        app.config["SECRET_GUESS_LIMIT"] = "3 per minute"
        second = create_app({**app_config, "SECRET_GUESS_LIMIT": "3 per minute"})
        other = close_every_answer(second.test_client())
        urls = [f"/feeds/kreis/private/{_guess(n)}/podcast.xml" for n in range(4)]
        assert client.get(urls[0]).status_code == 404
        assert other.get(urls[1]).status_code == 404
        assert client.get(urls[2]).status_code == 404
        assert other.get(urls[3]).status_code == 429
        valid = f"/feeds/kreis/private/{listener['secret']}/podcast.xml"
        assert other.get(valid).status_code == 200


# Passwords of a logged-in person --------------------------------------------
# A stolen session (or a phone left unlocked) must not become a way to try
# passwords: every form and API call that checks the current password shares
# the login limits (LOGIN_ACCOUNT_RATE_LIMIT per account: 5 a minute;
# LOGIN_RATE_LIMIT per client address: 10 a minute).

WRONG = "not the password"


def _web_password(client: Any) -> int:
    data = {"current": WRONG, "new": "a new long password", "confirm": "a new long password"}
    return client.post_form("/account/password", data).status_code


def _web_delete(client: Any) -> int:
    return client.post_form("/account/delete", {"password": WRONG, "confirm": "y"}).status_code


def test_the_web_password_form_is_limited_per_account(make_user, browser):
    anna = make_user("Anna")
    me = browser(anna)
    assert me.get("/account/password").status_code == 200  # looking costs nothing
    assert [_web_password(me) for _ in range(6)] == [422] * 5 + [429]
    assert me.get("/account/password").status_code == 200


@pytest.mark.parametrize(
    "attempts",
    [
        [_web_password, _web_delete],
        [_web_delete, _web_password],
    ],
    ids=["password then deletion", "deletion then password"],
)
def test_every_password_check_shares_one_budget(make_user, browser, api_token, attempts):
    anna = make_user("Anna")
    me = browser(anna)
    token = api_token(anna)
    statuses = [attempts[n % 2](me) for n in range(3)]
    statuses.append(
        me.put(
            "/api/v1/users/me/password",
            json={"current_password": WRONG, "new_password": "a new long password"},
            headers=token,
        ).status_code
    )
    statuses.append(me.delete("/api/v1/me", json={"password": WRONG}, headers=token).status_code)
    assert statuses[:5] == [422, 422, 422, 422, 422]
    assert attempts[0](me) == 429


def test_the_account_budget_follows_the_account_not_the_address(make_user, browser, api_token):
    anna, ben = make_user("Anna"), make_user("Ben")
    body = {"current_password": WRONG, "new_password": "a new long password"}
    url = "/api/v1/users/me/password"
    me, other = browser(anna), browser(ben)
    for n in range(5):  # five addresses, one account
        addr = {"REMOTE_ADDR": f"198.51.100.{n}"}
        assert me.put(url, json=body, headers=api_token(anna), environ_base=addr).status_code == 422
    addr = {"REMOTE_ADDR": "198.51.100.99"}
    assert me.put(url, json=body, headers=api_token(anna), environ_base=addr).status_code == 429
    # Ben (another account, another address) is not touched by Anna's count.
    addr = {"REMOTE_ADDR": "203.0.113.5"}
    assert other.put(url, json=body, headers=api_token(ben), environ_base=addr).status_code == 422


def test_one_address_trying_many_accounts_is_limited(client, make_user, api_token):
    body = {"current_password": WRONG, "new_password": "a new long password"}
    statuses = [
        client.put(
            "/api/v1/users/me/password", json=body, headers=api_token(make_user())
        ).status_code
        for _ in range(11)
    ]
    assert statuses == [422] * 10 + [429]
