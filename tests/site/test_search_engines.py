"""sitemap.xml, robots.txt, Open Graph and JSON-LD."""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree

from mediahub.core.extensions import db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_sitemap_lists_public_pages_only(
    client, make_group, make_user, make_episode, make_post, publish
):
    author = make_user()
    public = make_group("offen")
    unlisted = make_group("leise", visibility="unlisted")
    private = make_group("geheim", visibility="private")
    shown = publish(make_episode(public, author))
    shown_post = publish(make_post(public, author))
    draft = make_episode(public, author)
    hidden = [publish(make_episode(g, author)) for g in (unlisted, private)]
    resp = client.get("/sitemap.xml")
    assert resp.status_code == 200
    assert resp.mimetype == "application/xml"
    tree = etree.fromstring(resp.data)
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=NS)
    assert "http://hub.test/" in locs
    assert "http://hub.test/impressum" in locs and "http://hub.test/datenschutz" in locs
    assert "http://hub.test/groups/offen/" in locs
    assert f"http://hub.test/groups/offen/episodes/{shown.id}" in locs
    assert f"http://hub.test/groups/offen/posts/{shown_post.id}" in locs
    assert f"http://hub.test/groups/offen/episodes/{draft.id}" not in locs
    assert not any("leise" in loc or "geheim" in loc for loc in locs)
    assert not any(f"/episodes/{e.id}" in loc for e in hidden for loc in locs)
    lastmods = tree.xpath(
        f"//s:url[s:loc='http://hub.test/groups/offen/episodes/{shown.id}']/s:lastmod/text()",
        namespaces=NS,
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lastmods[0])


def test_robots_txt(client):
    resp = client.get("/robots.txt")
    assert resp.mimetype == "text/plain"
    text = resp.get_data(as_text=True)
    assert "Sitemap: http://hub.test/sitemap.xml" in text
    for path in ("/api/", "/review", "/admin/", "/media/private/"):
        assert f"Disallow: {path}\n" in text


def _ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def _og(page: str, prop: str) -> str | None:
    match = re.search(rf'<meta property="og:{prop}" content="([^"]*)">', page)
    return match.group(1) if match else None


def test_group_page_metadata(client, make_group):
    make_group("meta", name="Gruppe </script><script>alert(1)</script>", description="Wir *reden*.")
    page = client.get("/groups/meta/").get_data(as_text=True)
    assert "<script>alert(1)" not in page  # neither in the JSON-LD nor anywhere
    ld = _ld(page)
    assert ld["@type"] == "PodcastSeries"
    assert ld["name"] == "Gruppe </script><script>alert(1)</script>"
    assert ld["description"] == "Wir reden."
    assert ld["webFeed"] == "http://hub.test/feeds/meta/podcast.xml"
    assert _og(page, "type") == "website"
    assert _og(page, "url") == "http://hub.test/groups/meta/"


def test_episode_metadata(client, make_group, make_user, make_episode, publish):
    author = make_user()
    group = make_group("folgen")
    episode = publish(make_episode(group, author, title="Folge eins", description="Über Mut."))
    page = client.get(f"/groups/folgen/episodes/{episode.id}").get_data(as_text=True)
    ld = _ld(page)
    assert ld["@type"] == "PodcastEpisode"
    assert ld["name"] == "Folge eins"
    assert ld["partOfSeries"]["url"] == "http://hub.test/groups/folgen/"
    assert (
        ld["associatedMedia"]["contentUrl"] == f"http://hub.test/media/episodes/{episode.guid}.mp3"
    )
    assert ld["duration"] == "PT12S" or ld["duration"].startswith("PT")
    assert ld["datePublished"].startswith(str(episode.published_at.year))
    assert "author" not in ld  # not credited
    assert _og(page, "audio") == f"http://hub.test/media/episodes/{episode.guid}.mp3"
    assert _og(page, "title") == "Folge eins"
    assert _og(page, "description") == "Über Mut."


def test_post_metadata_and_cover_image(client, make_group, make_user, make_post, publish, app):
    from mediahub.media.models import AssetKind, AssetState, MediaAsset

    cover = MediaAsset(
        kind=AssetKind.IMAGE,
        status=AssetState.READY,
        storage_backend="local",
        original_key="covers/x",
        original_size=1,
        original_sha256="0" * 64,
        content_type="image/jpeg",
    )
    db.session.add(cover)
    author = make_user()
    author.is_credited = True
    group = make_group("texte")
    group.cover = cover
    db.session.commit()
    post = publish(make_post(group, author, title="Ein Beitrag"))
    page = client.get(f"/groups/texte/posts/{post.id}").get_data(as_text=True)
    ld = _ld(page)
    assert ld["@type"] == "BlogPosting"
    assert ld["headline"] == "Ein Beitrag"
    assert ld["author"] == {"@type": "Person", "name": author.display_name}
    image = f"http://hub.test/media/groups/texte/cover-{cover.id}.jpg"
    assert ld["image"] == image
    assert _og(page, "image") == image
    assert _og(page, "type") == "article"


# A sitemap split over several files (the per-file limit patched small).

LIMIT = 5
BASE = "http://hub.test"
URLSET = f"{{{NS['s']}}}urlset"
INDEX = f"{{{NS['s']}}}sitemapindex"


@pytest.fixture
def small_files(monkeypatch):
    from mediahub.site import seo

    monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", LIMIT)


def _xml(client, url: str):
    resp = client.get(url.removeprefix(BASE))
    assert resp.status_code == 200, url
    assert resp.mimetype == "application/xml"
    return etree.fromstring(resp.data)


def _index(client) -> dict[str, str | None]:
    """The sitemap index as {file URL: lastmod}."""
    tree = _xml(client, "/sitemap.xml")
    assert tree.tag == INDEX
    files = {}
    for entry in tree.xpath("s:sitemap", namespaces=NS):
        (loc,) = entry.xpath("s:loc/text()", namespaces=NS)
        lastmod = entry.xpath("s:lastmod/text()", namespaces=NS)
        files[loc] = lastmod[0] if lastmod else None
    return files


def _file(client, url: str) -> dict[str, str | None]:
    """One sitemap file as {page URL: lastmod}."""
    tree = _xml(client, url)
    assert tree.tag == URLSET
    locs = tree.xpath("s:url/s:loc/text()", namespaces=NS)
    assert len(locs) == len(set(locs))
    return {
        loc: (tree.xpath(f"s:url[s:loc='{loc}']/s:lastmod/text()", namespaces=NS) or [None])[0]
        for loc in locs
    }


def _number(row_id: int) -> int:
    return (row_id - 1) // LIMIT + 1


def test_large_sitemap_is_an_index_of_files(
    client, small_files, make_group, make_user, make_episode, make_post, publish
):
    author = make_user()
    public = [make_group("eins"), make_group("zwei")]
    unlisted = make_group("leise", visibility="unlisted")
    private = make_group("geheim", visibility="private")
    episodes = [publish(make_episode(public[n % 2], author)) for n in range(9)]
    posts = [publish(make_post(public[0], author)) for _ in range(3)]
    make_episode(public[0], author)  # a draft
    make_post(public[1], author)  # a draft
    for group in (unlisted, private):
        publish(make_episode(group, author))
        publish(make_post(group, author))

    expected = {f"{BASE}/", f"{BASE}/impressum", f"{BASE}/datenschutz"}
    expected |= {f"{BASE}/groups/{g.slug}/" for g in public}
    expected |= {f"{BASE}/groups/{e.group.slug}/episodes/{e.id}" for e in episodes}
    expected |= {f"{BASE}/groups/{p.group.slug}/posts/{p.id}" for p in posts}
    assert len(expected) == 17 > LIMIT

    index = _index(client)
    expected_files = {f"{BASE}/sitemap-hub-1.xml"}
    expected_files |= {f"{BASE}/sitemap-groups-{_number(g.id)}.xml" for g in public}
    expected_files |= {f"{BASE}/sitemap-episodes-{_number(e.id)}.xml" for e in episodes}
    expected_files |= {f"{BASE}/sitemap-posts-{_number(p.id)}.xml" for p in posts}
    assert set(index) == expected_files
    assert len(index) == len(expected_files)  # no file listed twice

    union: list[str] = []
    for url, lastmod in index.items():
        pages = _file(client, url)
        assert 1 <= len(pages) <= LIMIT
        union += pages
        # A file's lastmod is that of its newest page (the hub's pages have none).
        dates = [d for d in pages.values() if d]
        assert lastmod == (max(dates) if dates else None)
        if lastmod:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lastmod)
    assert len(union) == len(set(union))  # no page in two files
    assert set(union) == expected  # nothing private, unlisted or draft, nothing missing
    for url in union:
        assert client.get(url.removeprefix(BASE)).status_code == 200, url


def test_sitemap_files_out_of_range_are_404(
    client, small_files, make_group, make_user, make_episode, publish
):
    author = make_user()
    group = make_group()
    episodes = [publish(make_episode(group, author)) for _ in range(LIMIT + 1)]
    last = _number(max(e.id for e in episodes))
    assert client.get(f"/sitemap-episodes-{last}.xml").status_code == 200
    for path in (
        f"/sitemap-episodes-{last + 1}.xml",
        "/sitemap-episodes-0.xml",
        "/sitemap-episodes-99999999999999999999.xml",
        "/sitemap-posts-1.xml",  # no post at all
        "/sitemap-hub-2.xml",
        "/sitemap-others-1.xml",
        "/sitemap-episodes-x.xml",
    ):
        assert client.get(path).status_code == 404, path


def test_sitemap_files_keep_their_pages_as_items_come_and_go(
    client, small_files, make_group, make_user, make_episode, publish
):
    """A page's file depends on its id only, so search engines need not
    refetch files whose pages did not change."""
    from mediahub.review import services as review

    author = make_user()
    group = make_group()
    episodes = [publish(make_episode(group, author)) for _ in range(2 * LIMIT)]
    before = {url: set(_file(client, url)) for url in _index(client)}

    added = publish(make_episode(group, author))
    removed = episodes[-1]
    review.unpublish(removed, author)
    db.session.commit()
    after = {url: set(_file(client, url)) for url in _index(client)}

    def file_of(item) -> str:
        return f"{BASE}/sitemap-episodes-{_number(item.id)}.xml"

    def page_of(item) -> str:
        return f"{BASE}/groups/{group.slug}/episodes/{item.id}"

    expected = {url: set(pages) for url, pages in before.items()}
    expected[file_of(removed)].discard(page_of(removed))
    expected.setdefault(file_of(added), set()).add(page_of(added))
    assert after == expected
    assert len(after) > 3  # the hub, the group and at least two episode files


def test_sitemap_is_one_file_up_to_the_limit(client, monkeypatch, make_group):
    from mediahub.site import seo

    make_group()
    monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", 4)  # 3 hub pages and the group
    tree = _xml(client, "/sitemap.xml")
    assert tree.tag == URLSET
    assert len(tree.xpath("s:url", namespaces=NS)) == 4
    monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", 3)
    assert _xml(client, "/sitemap.xml").tag == INDEX


def test_the_index_is_counted_once_in_a_while_and_the_files_are_always_current(
    app, client, small_files, make_group, make_user, make_episode, publish, monkeypatch
):
    """At national scale the index counts 4,000,000 rows: each process counts
    it at most once per SITEMAP_INDEX_MAX_AGE. It names files only, and a
    file shows what is public now."""
    from mediahub.review import services as review
    from mediahub.site import seo

    app.config["SITEMAP_INDEX_MAX_AGE"] = 300
    now = [1000.0]
    monkeypatch.setattr(seo.time, "monotonic", lambda: now[0])
    author, group = make_user(), make_group()
    episodes = [publish(make_episode(group, author)) for _ in range(LIMIT + 1)]
    first = _index(client)
    newest = episodes[-1]
    while _number(newest.id) == _number(episodes[-1].id):  # one in a file of its own
        newest = publish(make_episode(group, author))
    file_of_newest = f"{BASE}/sitemap-episodes-{_number(newest.id)}.xml"
    assert file_of_newest not in first
    assert _index(client) == first  # counted a moment ago
    page = f"{BASE}/groups/{group.slug}/episodes/{newest.id}"
    assert page in _file(client, file_of_newest)  # the file itself is current
    review.unpublish(episodes[0], author)
    db.session.commit()
    gone = f"{BASE}/groups/{group.slug}/episodes/{episodes[0].id}"
    assert gone not in _file(client, f"{BASE}/sitemap-episodes-{_number(episodes[0].id)}.xml")
    now[0] += 301
    assert file_of_newest in _index(client)  # counted again
