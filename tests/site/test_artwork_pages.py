"""Artwork on the public pages: every group card, group head, episode row and
episode page shows the uploaded or generated picture in a few sizes
(``srcset``), each size kept for a year by browsers, and only for those who
may see it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from lxml import html as lxml_html
from PIL import Image

from mediahub.core.extensions import db
from mediahub.media.artwork import render_cover
from mediahub.media.covers import WIDTHS
from tests.conftest import close_every_answer

YEAR = "max-age=31536000"


@pytest.fixture
def anonymous(anonymous: Any) -> Any:
    return close_every_answer(anonymous)


def _having(tree: Any, tag: str, cls: str) -> list[Any]:
    """The ``tag`` elements of ``tree`` with the class ``cls``."""
    return tree.xpath(f".//{tag}[contains(concat(' ', @class, ' '), ' {cls} ')]")


def _pictures(client: Any, url: str) -> list[Any]:
    resp = client.get(url)
    assert resp.status_code == 200
    return _having(lxml_html.fromstring(resp.get_data(as_text=True)), "img", "artwork")


def _candidates(img: Any) -> dict[int, str]:
    """``{width: address}`` of an ``<img>``'s ``srcset``."""
    out = {}
    for candidate in img.get("srcset").split(", "):
        url, width = candidate.split(" ")
        out[int(width.removesuffix("w"))] = url
    return out


def _jpeg_size(client: Any, url: str) -> tuple[tuple[int, int], str]:
    resp = client.get(url)
    assert resp.status_code == 200, url
    assert resp.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(resp.data)) as img:
        return img.size, resp.headers["Cache-Control"]


def _set_cover(group: Any, who: Any) -> None:
    from mediahub.groups.services import set_cover

    set_cover(group, io.BytesIO(render_cover("Hochgeladen", "x")), actor=who)
    db.session.commit()


def test_a_group_without_cover_shows_its_generated_one_in_every_size(
    anonymous: Any, make_group: Any
) -> None:
    make_group("ohne", name="Trauercafé Größe")
    for url in ("/", "/groups/ohne/"):
        [img] = _pictures(anonymous, url)
        assert img.get("width") == img.get("height")  # its place is kept while it loads
        assert img.get("sizes") == f"{img.get('width')}px"
        urls = _candidates(img)
        assert sorted(urls) == [*WIDTHS, 1400]
        assert urls[1400] == img.get("src")
        for width, address in urls.items():
            size, cache = _jpeg_size(anonymous, address)
            assert size == (width, width)
            assert cache == f"public, {YEAR}"


def test_an_uploaded_cover_is_offered_in_its_smaller_copies(
    anonymous: Any, make_group: Any, make_user: Any
) -> None:
    manager = make_user()
    group = make_group("mit", members={manager: "manager"})
    _set_cover(group, manager)
    [img] = _pictures(anonymous, "/groups/mit/")
    urls = _candidates(img)
    assert sorted(urls) == [*WIDTHS, 1400]
    assert all(f"/cover-{group.cover_asset_id}" in u for u in urls.values())
    for width, address in urls.items():
        size, cache = _jpeg_size(anonymous, address)
        assert size == (width, width)
        assert YEAR in cache
    # A width that was not made is not drawn on demand.
    assert (
        anonymous.get(f"/media/groups/mit/cover-{group.cover_asset_id}/333.jpg").status_code == 404
    )


def test_episode_rows_and_the_episode_page_show_the_artwork_and_the_facts(
    anonymous: Any, make_group: Any, author: Any, make_episode: Any, publish: Any
) -> None:
    group = make_group("runde")
    episode = publish(make_episode(group, author, title="Erste Folge", content_note="Thema: Tod"))
    page = lxml_html.fromstring(anonymous.get("/groups/runde/").get_data(as_text=True))
    [row] = _having(page, "li", "episode-row")
    [img] = _having(row, "img", "artwork")
    assert img.get("loading") == "lazy"
    assert row.xpath(".//time/@datetime")[0].startswith(str(episode.published_at.date()))
    assert _having(row, "span", "duration")[0].text_content() == "0:12 long"
    assert _having(row, "span", "note-marker")[0].text_content() == "Content note"
    [play] = _having(row, "a", "play-link")
    assert play.get("aria-label") == "Listen: Erste Folge"
    # The play button opens the episode at its player, after its content note.
    assert play.get("href") == f"/groups/runde/episodes/{episode.id}#listen"
    [img] = _pictures(anonymous, f"/groups/runde/episodes/{episode.id}")
    assert img.get("loading") is None  # at the top of the page: not lazy
    assert img.get("sizes") == "(max-width: 30rem) 96px, 160px"


def test_an_episode_with_its_own_picture_shows_it(
    anonymous: Any, make_group: Any, author: Any, make_episode: Any, publish: Any
) -> None:
    from mediahub.media.images import store_cover

    group = make_group("bild")
    episode = make_episode(group, author, title="Mit Bild")
    # (set_image would process the test's stand-in audio again)
    episode.image = store_cover(io.BytesIO(render_cover("Bild", "bild")), uploader=author)
    db.session.commit()
    publish(episode)
    for url in ("/groups/bild/", f"/groups/bild/episodes/{episode.id}"):
        img = _pictures(anonymous, url)[-1]  # the group page's own cover comes first
        urls = _candidates(img)
        assert sorted(urls) == [*WIDTHS, 1400]
        assert all(
            f"/episodes/{episode.guid}/image-{episode.image_asset_id}" in u for u in urls.values()
        )
        for width, address in urls.items():
            assert _jpeg_size(anonymous, address)[0] == (width, width)


def test_a_private_groups_artwork_in_any_size_is_for_members_only(
    anonymous: Any, browser: Any, make_group: Any, make_user: Any
) -> None:
    member = make_user()
    group = make_group("intern", visibility="private", members={member: "manager"})
    [generated] = _pictures(close_every_answer(browser(member)), "/groups/intern/")
    _set_cover(group, member)
    member_browser = close_every_answer(browser(member))
    [uploaded] = _pictures(member_browser, "/groups/intern/")
    for img in (generated, uploaded):
        for address in _candidates(img).values():
            assert anonymous.get(address).status_code == 404
    for address in _candidates(uploaded).values():
        resp = member_browser.get(address)
        assert resp.status_code == 200
        assert "private" in resp.headers["Cache-Control"]


def test_a_generated_cover_is_drawn_only_in_the_offered_widths(
    anonymous: Any, make_group: Any
) -> None:
    make_group("breit")
    [img] = _pictures(anonymous, "/groups/breit/")
    small = _candidates(img)[WIDTHS[0]]
    assert anonymous.get(small).status_code == 200
    assert anonymous.get(re.sub(r"/\d+\.jpg$", "/5000.jpg", small)).status_code == 404


def test_draft_episode_pictures_are_never_kept_in_shared_caches(
    browser: Any, make_group: Any, author: Any, make_episode: Any
) -> None:
    from mediahub.media.images import store_cover

    group = make_group("entwurf")
    episode = make_episode(group, author)
    episode.image = store_cover(io.BytesIO(render_cover("Bild", "bild")), uploader=author)
    db.session.commit()
    web = close_every_answer(browser(author))
    [img] = _pictures(web, f"/groups/entwurf/episodes/{episode.id}")
    for address in _candidates(img).values():
        resp = web.get(address)
        assert resp.status_code == 200
        assert "private" in resp.headers["Cache-Control"]
        assert "public" not in resp.headers["Cache-Control"]


def test_pages_with_artwork_need_no_query_per_row(
    anonymous: Any,
    make_group: Any,
    author: Any,
    make_episode: Any,
    publish: Any,
    count_queries: Any,
) -> None:
    group = make_group("viele")
    publish(make_episode(group, author, title="Eins"))
    anonymous.get("/groups/viele/")
    with count_queries() as few:
        anonymous.get("/groups/viele/")
    for n in range(5):
        publish(make_episode(group, author, title=f"Folge {n}"))
    with count_queries() as many:
        anonymous.get("/groups/viele/")
    assert many.count == few.count
