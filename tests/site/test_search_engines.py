"""sitemap.xml, robots.txt, Open Graph and JSON-LD."""

from __future__ import annotations

import json
import re

from lxml import etree

from mediahub.extensions import db

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
