"""Generated covers for groups without artwork."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import podcastparser
from lxml import etree
from PIL import Image

from mediahub.core.extensions import db
from mediahub.feeds.paths import public_path
from mediahub.media.artwork import render_cover

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


def _feed_image(feeds_root: Any, slug: str | None) -> str:
    channel = etree.fromstring(public_path(feeds_root, slug, "podcast.xml").read_bytes())[0]
    return channel.find(f"{ITUNES}image").get("href")


def test_render_is_a_square_rgb_jpeg_for_apple() -> None:
    img = Image.open(io.BytesIO(render_cover("Ein sehr langer Gruppenname " * 6, "lang")))
    assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (1400, 1400))
    calm = Image.open(io.BytesIO(render_cover("Gruppe", "ruhig"))).getpixel((5, 5))
    assert max(calm) < 200  # dark enough for white text
    assert render_cover("Gruppe", "a") != render_cover("Gruppe", "b")  # colour per group


def test_a_group_without_cover_has_generated_artwork_renewed_on_rename(
    make_group: Any, anonymous: Any, feeds_root: Any
) -> None:
    from mediahub.groups.services import update_group

    group = make_group("ohne-bild", name="Ohne Bild")
    first = _feed_image(feeds_root, "ohne-bild")
    resp = anonymous.get(urlsplit(first).path)
    assert resp.status_code == 200 and resp.mimetype == "image/jpeg"
    img = Image.open(io.BytesIO(resp.data))
    assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (1400, 1400))
    assert "max-age=31536000" in resp.headers["Cache-Control"]
    assert group.cover is None  # nothing is stored: the group still has no cover

    update_group(group, {"name": "Mit neuem Namen"})
    db.session.commit()
    second = _feed_image(feeds_root, "ohne-bild")
    assert second != first
    assert anonymous.get(urlsplit(first).path).status_code == 404  # the old picture is gone
    assert anonymous.get(urlsplit(second).path).data != resp.data


def test_an_uploaded_cover_replaces_the_generated_one(
    make_group: Any, author: Any, anonymous: Any, feeds_root: Any
) -> None:
    from mediahub.groups.services import set_cover

    group = make_group("mit-bild")
    generated = _feed_image(feeds_root, "mit-bild")
    set_cover(group, io.BytesIO(render_cover("Hochgeladen", "x")), actor=author)
    db.session.commit()
    uploaded = _feed_image(feeds_root, "mit-bild")
    assert f"cover-{group.cover_asset_id}.jpg" in uploaded
    assert anonymous.get(urlsplit(generated).path).status_code == 404


def test_private_groups_generated_cover_is_not_shown_to_strangers(
    make_group: Any, anonymous: Any
) -> None:
    from mediahub.media.artwork import cover_version

    group = make_group("intern", visibility="private")
    url = f"/media/groups/intern/cover-generated-{cover_version(group)}.jpg"
    assert anonymous.get(url).status_code == 404


def test_the_hub_podcast_has_generated_artwork_renewed_on_rename(
    app: Any, anonymous: Any, feeds_root: Any
) -> None:
    from mediahub.feeds.services import rebuild_hub

    rebuild_hub()
    data = public_path(feeds_root, None, "podcast.xml").read_bytes()
    first = _feed_image(feeds_root, None)
    assert (
        podcastparser.parse("http://hub.test/feeds/podcast.xml", io.BytesIO(data))["cover_url"]
        == first
    )
    resp = anonymous.get(urlsplit(first).path)
    assert resp.status_code == 200 and resp.mimetype == "image/jpeg"
    img = Image.open(io.BytesIO(resp.data))
    assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (1400, 1400))
    assert resp.headers["Cache-Control"] == "public, max-age=31536000"
    again = anonymous.get(urlsplit(first).path, headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304

    app.config["HUB_NAME"] = "Selbsthilfe-Kontaktstelle Nord"
    rebuild_hub()
    second = _feed_image(feeds_root, None)
    assert second != first
    assert anonymous.get(urlsplit(first).path).status_code == 404
    assert anonymous.get(urlsplit(second).path).data != resp.data
