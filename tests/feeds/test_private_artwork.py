"""Artwork of private groups, as a listener's podcast app gets it: apps have
no session, so the pictures in a private feed work with the listener's token
and with nothing else."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import feedparser
import podcastparser
import pytest
from PIL import Image

from mediahub.core.extensions import db
from mediahub.groups import feed_tokens as tokens
from mediahub.groups.models import FeedToken
from mediahub.media.artwork import render_cover
from tests.conftest import close_every_answer

from .conftest import one, parse, xp


@pytest.fixture
def client(client):
    return close_every_answer(client)


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {"manager": make_user("Mira"), "member": make_user("Malte")}


@pytest.fixture
def group(make_group: Any, people: dict[str, Any]) -> Any:
    return make_group(
        "kreis",
        name="Kreis der Stillen",
        visibility="private",
        members={people["manager"]: "manager", people["member"]: "member"},
    )


@pytest.fixture
def episode(group: Any, people: dict[str, Any], make_episode: Any, publish: Any) -> Any:
    return publish(make_episode(group, people["member"], title="Unter uns"))


def _secret(group: Any, manager: Any, label: str = "Annas Handy") -> str:
    _row, url = tokens.create_token(group, manager, label=label)
    db.session.commit()
    return url.split("/private/")[1].split("/")[0]


def _podcast(client: Any, secret: str) -> bytes:
    resp = client.get(f"/feeds/kreis/private/{secret}/podcast.xml")
    assert resp.status_code == 200
    return resp.data


def _images(data: bytes) -> dict[str, str]:
    """The artwork URLs of a podcast feed as apps read them."""
    gpodder = podcastparser.parse("http://hub.test/feed.xml", io.BytesIO(data))
    fp = feedparser.parse(data)
    assert not fp.bozo, fp.get("bozo_exception")
    channel = one(parse(data), "/rss/channel")
    found = {
        "channel": gpodder["cover_url"],
        "rss image": one(channel, "image/url/text()"),
        "item": gpodder["episodes"][0]["episode_art_url"],
    }
    assert fp.feed.image.href == found["channel"]
    assert fp.entries[0].image.href == found["item"]
    return found


def _jpeg(client: Any, url: str) -> Any:
    resp = client.get(urlsplit(url).path)
    assert resp.status_code == 200, url
    assert resp.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(resp.data)).format == "JPEG"
    assert resp.headers["Cache-Control"].startswith("private")
    assert "public" not in resp.headers["Cache-Control"]
    assert resp.headers["X-Robots-Tag"].startswith("noindex")
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    return resp


def _status(client: Any, url: str) -> int:
    return client.get(urlsplit(url).path).status_code


def test_generated_cover_reaches_the_app_through_the_token(
    client: Any, group: Any, episode: Any, people: dict[str, Any]
) -> None:
    secret = _secret(group, people["manager"])
    images = _images(_podcast(client, secret))
    assert images["channel"] == images["rss image"] == images["item"]  # no episode image
    assert f"/media/private/{secret}/groups/kreis/cover-generated-" in images["channel"]
    resp = _jpeg(client, images["channel"])
    assert Image.open(io.BytesIO(resp.data)).size == (1400, 1400)
    again = client.get(
        urlsplit(images["channel"]).path, headers={"If-None-Match": resp.headers["ETag"]}
    )
    assert again.status_code == 304

    url = images["channel"]
    # It shows the group's name: without the token, or with a wrong one, nothing.
    assert _status(client, url.replace(f"/private/{secret}", "")) == 404
    assert _status(client, url.replace(secret, "nonsense")) == 404
    for row in tokens.list_tokens(group, people["manager"]):
        tokens.revoke_token(row)
    db.session.commit()
    assert _status(client, url) == 404


def test_uploaded_cover_and_episode_image_through_the_token(
    client: Any, group: Any, episode: Any, people: dict[str, Any]
) -> None:
    from mediahub.groups.services import set_cover
    from mediahub.media.images import store_cover
    from mediahub.review.editing import apply_changes

    set_cover(group, io.BytesIO(render_cover("Hochgeladen", "x")), actor=people["manager"])
    image = store_cover(io.BytesIO(render_cover("Bild", "bild")), uploader=None)
    episode.image = image
    apply_changes(episode, {"title": "Unter uns (mit Bild)"}, None)
    db.session.commit()
    secret = _secret(group, people["manager"])
    images = _images(_podcast(client, secret))
    assert images["channel"] == images["rss image"]
    assert images["channel"].endswith(
        f"/media/private/{secret}/groups/kreis/cover-{group.cover_asset_id}.jpg"
    )
    assert images["item"].endswith(
        f"/media/private/{secret}/episodes/{episode.guid}/image-{image.id}.jpg"
    )
    cover = _jpeg(client, images["channel"])
    picture = _jpeg(client, images["item"])
    assert cover.data != picture.data

    other = _secret(group, people["manager"], "Ben")
    for url in images.values():
        assert _status(client, url.replace(secret, other)) == 200  # every listener's own
        assert _status(client, url.replace(f"/private/{secret}", "")) == 404
        assert _status(client, url.replace(secret, "nonsense")) == 404
    revoked = db.session.query(FeedToken).filter_by(label="Annas Handy").one()
    tokens.revoke_token(revoked)
    db.session.commit()
    assert all(_status(client, url) == 404 for url in images.values())
    assert _status(client, images["item"].replace(secret, other)) == 200


def test_another_groups_token_opens_no_artwork(
    client: Any, group: Any, episode: Any, people: dict[str, Any], make_group: Any
) -> None:
    secret = _secret(group, people["manager"])
    other = make_group("andere", visibility="private", members={people["manager"]: "manager"})
    foreign = _secret(other, people["manager"], "Ben")
    channel = _images(_podcast(client, secret))["channel"]
    assert secret in channel and _status(client, channel) == 200
    assert _status(client, channel.replace(secret, foreign)) == 404


def test_blog_feed_logo_works_with_the_token(
    client: Any, group: Any, people: dict[str, Any], make_post: Any, publish: Any
) -> None:
    publish(make_post(group, people["member"], title="Nur für uns"))
    secret = _secret(group, people["manager"])
    resp = client.get(f"/feeds/kreis/private/{secret}/blog.atom")
    assert resp.status_code == 200
    fp = feedparser.parse(resp.data)
    assert not fp.bozo, fp.get("bozo_exception")
    logo = fp.feed.logo
    assert f"/media/private/{secret}/groups/kreis/cover-generated-" in logo
    assert xp(parse(resp.data), "/atom:feed/atom:logo/text()") == [logo]
    _jpeg(client, logo)
    assert _status(client, logo.replace(f"/private/{secret}", "")) == 404
    assert _status(client, logo.replace(secret, "nonsense")) == 404


def test_members_still_see_the_cover_on_the_web(
    client: Any, group: Any, people: dict[str, Any], browser: Any
) -> None:
    from mediahub.site.meta import cover_url

    url = urlsplit(cover_url(group)).path
    assert "/private/" not in url
    assert client.get(url).status_code == 404
    member = browser(people["member"]).get(url)
    assert member.status_code == 200 and member.mimetype == "image/jpeg"
    assert member.headers["Cache-Control"].startswith("private")


def test_guessing_artwork_addresses_is_rate_limited(
    app: Any, client: Any, group: Any, people: dict[str, Any]
) -> None:
    _secret(group, people["manager"])
    app.config["SECRET_GUESS_LIMIT"] = "3 per minute"
    for n in range(3):
        url = f"/media/private/guess{n}/groups/kreis/cover-generated-x.jpg"
        assert client.get(url).status_code == 404
    url = "/media/private/guess9/groups/kreis/cover-generated-x.jpg"
    assert client.get(url).status_code == 429
