"""Feeds are read far from our site: every picture and link in a blog post
or in show notes is an absolute address, and a private group's pictures open
under the listener's feed token (a feed reader has no session)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import feedparser
import lxml.html
import podcastparser
from flask import current_app
from PIL import Image

from mediahub.core.extensions import db
from mediahub.feeds.paths import public_path
from tests.conftest import close_every_answer

from .conftest import one, parse


def _picture(group: Any, uploader: Any) -> str:
    from mediahub.media.images import store_post_image
    from mediahub.posts.views import post_image_url

    png = io.BytesIO()
    Image.new("RGB", (30, 20), "teal").save(png, "PNG")
    png.seek(0)
    asset = store_post_image(png, uploader=uploader, group=group)
    db.session.commit()
    with current_app.test_request_context():
        return post_image_url(asset)


def _html(atom: bytes) -> Any:
    entry = one(parse(atom), "/atom:feed/atom:entry")
    content = one(entry, "atom:content/text()")
    return lxml.html.fragment_fromstring(content, create_parent="div")


def test_blog_posts_carry_absolute_picture_and_link_addresses(
    make_group: Any, author: Any, make_post: Any, publish: Any, feeds_root: Any, anonymous: Any
) -> None:
    group = make_group("blog")
    picture = _picture(group, author)
    assert picture.startswith("/media/images/")  # as the editor inserts it
    body = (
        f"![Ein Bild]({picture})\n\n[Unsere Gruppe](/groups/blog/) und [mehr](https://x.example/)"
    )
    publish(make_post(group, author, body=body))
    data = public_path(feeds_root, "blog", "blog.atom").read_bytes()
    html = _html(data)
    [img] = html.iter("img")
    assert img.get("src") == f"http://hub.test{picture}"
    links = [a.get("href") for a in html.iter("a")]
    assert links == ["http://hub.test/groups/blog/", "https://x.example/"]
    # A feed reader resolves nothing by itself: feedparser sees the same.
    fp = feedparser.parse(data)
    assert not fp.bozo, fp.get("bozo_exception")
    assert f'src="http://hub.test{picture}"' in fp.entries[0].content[0].value
    resp = close_every_answer(anonymous).get(picture)
    assert resp.status_code == 200 and resp.mimetype == "image/png"


def test_show_notes_carry_absolute_addresses(
    make_group: Any, author: Any, make_episode: Any, publish: Any, feeds_root: Any
) -> None:
    group = make_group("show")
    publish(
        make_episode(group, author, description="![Plakat](/media/x.jpg) [Termine](/groups/show/)")
    )
    data = public_path(feeds_root, "show", "podcast.xml").read_bytes()
    [episode] = podcastparser.parse("http://hub.test/feeds/show/podcast.xml", io.BytesIO(data))[
        "episodes"
    ]
    notes = lxml.html.fragment_fromstring(episode["description_html"], create_parent="div")
    assert [i.get("src") for i in notes.iter("img")] == ["http://hub.test/media/x.jpg"]
    assert [a.get("href") for a in notes.iter("a")] == ["http://hub.test/groups/show/"]


def test_a_private_groups_blog_pictures_open_with_the_listeners_token(
    make_group: Any, make_user: Any, make_post: Any, publish: Any, anonymous: Any
) -> None:
    from mediahub.groups import feed_tokens as tokens

    manager = make_user("Mira")
    group = make_group("kreis", visibility="private", members={manager: "manager"})
    picture = _picture(group, manager)
    publish(make_post(group, manager, body=f"![Bild]({picture})"))
    _row, url = tokens.create_token(group, manager, label="Annas Reader")
    db.session.commit()
    reader = close_every_answer(anonymous)
    feed = reader.get(urlsplit(url).path.replace("podcast.xml", "blog.atom"))
    assert feed.status_code == 200
    secret = url.split("/private/")[1].split("/")[0]
    [img] = _html(feed.data).iter("img")
    src = img.get("src")
    assert src == f"http://hub.test/media/private/{secret}{picture.removeprefix('/media')}"
    resp = reader.get(urlsplit(src).path)
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    assert "private" in resp.headers["Cache-Control"]
    assert reader.get(picture).status_code == 404  # no session, no token: nothing
    wrong = urlsplit(src).path.replace(secret, "x" * len(secret))
    assert reader.get(wrong).status_code == 404


def test_a_private_draft_picture_does_not_open_with_a_feed_token(
    make_group: Any, make_user: Any, make_post: Any, anonymous: Any
) -> None:
    from mediahub.groups import feed_tokens as tokens

    manager = make_user("Mira")
    group = make_group("kreis", visibility="private", members={manager: "manager"})
    picture = _picture(group, manager)
    make_post(group, manager, body=f"![Bild]({picture})")
    _row, url = tokens.create_token(group, manager, label="Annas Reader")
    db.session.commit()
    secret = url.split("/private/")[1].split("/")[0]
    path = f"/media/private/{secret}{picture.removeprefix('/media')}"
    assert close_every_answer(anonymous).get(path).status_code == 404
