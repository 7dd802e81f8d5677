"""The public pages as visitors, members and editors see them."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from mediahub.core.extensions import db


def html(resp) -> str:
    return resp.get_data(as_text=True)


def main(resp) -> str:
    """The page's <main> (the head repeats texts in its meta description)."""
    page = html(resp)
    return page[page.index("<main") : page.index("</main>")]


def test_home_lists_only_public_groups(client, make_group):
    make_group(name="Offene Runde")
    make_group(name="Ungelistet", visibility="unlisted")
    make_group(name="Geheim", visibility="private")
    page = html(client.get("/"))
    assert "Offene Runde" in page
    assert "Ungelistet" not in page
    assert "Geheim" not in page


def test_home_shows_latest_items_of_public_groups_only(
    client, make_group, author, make_episode, make_post, publish
):
    public, unlisted = make_group(), make_group(visibility="unlisted")
    publish(make_episode(public, author, title="Öffentliche Folge"))
    publish(make_post(public, author, title="Öffentlicher Beitrag"))
    publish(make_episode(unlisted, author, title="Versteckte Folge"))
    make_episode(public, author, title="Entwurfsfolge")
    page = html(client.get("/"))
    assert "Öffentliche Folge" in page
    assert "Öffentlicher Beitrag" in page
    assert "Versteckte Folge" not in page
    assert "Entwurfsfolge" not in page


def test_home_filters_by_topic_and_words(client, make_group):
    make_group(name="Trauercafé", category="grief", description="Wir treffen uns dienstags.")
    make_group(name="Zwischenraum", category="depression", description="Für dunkle Tage.")
    make_group(name="Kreis", category="grief", description="Abschied und Erinnerung.")
    page = html(client.get("/?topic=grief"))
    assert "Trauercafé" in page and "Kreis" in page and "Zwischenraum" not in page
    page = html(client.get("/?q=dunkle"))  # found in the description
    assert "Zwischenraum" in page and "Trauercafé" not in page
    page = html(client.get("/?q=TRAUER&topic=grief"))  # case does not matter
    assert "Trauercafé" in page and "Kreis" not in page
    page = html(client.get("/?q=%25"))  # LIKE wildcards are searched for literally
    assert "Trauercafé" not in page
    assert "No group matches your search" in page


def test_home_ignores_unknown_topics_and_bad_pages(client, make_group):
    make_group(name="Eine Gruppe")
    for query in ("?topic=nonsense", "?page=abc", "?page=-3", "?page=99999999999999999999"):
        resp = client.get("/" + query)
        assert resp.status_code == 200, query
        assert "Eine Gruppe" in html(resp)
    assert client.get("/?page=2").status_code == 404


def test_home_paginates_groups(client, make_group):
    for n in range(26):
        make_group(name=f"Gruppe {n:02d}")
    first = html(client.get("/"))
    assert "Gruppe 00" in first and "Gruppe 23" in first and "Gruppe 24" not in first
    assert 'rel="next"' in first and "Page 1 of 2" in first
    second = html(client.get("/?page=2"))
    assert "Gruppe 24" in second and "Gruppe 25" in second and "Gruppe 00" not in second
    assert 'rel="prev"' in second and 'aria-current="page"' in second
    # Links keep the filter.
    filtered = html(client.get("/?q=Gruppe"))
    assert re.search(r'href="/\?q=Gruppe&amp;page=2"', filtered)


def test_group_page_subscribe_box(client, make_group):
    group = make_group("trauer", description="Über **uns**")
    page = html(client.get("/groups/trauer/"))
    assert "<strong>uns</strong>" in page
    feed = "http://hub.test/feeds/trauer/podcast.xml"
    assert f'value="{feed}" readonly' in page or f'readonly value="{feed}"' in page
    assert 'href="podcast://hub.test/feeds/trauer/podcast.xml"' in page
    assert (
        "overcast://x-callback-url/add?url=http%3A%2F%2Fhub.test%2Ffeeds%2Ftrauer%2Fpodcast.xml"
        in page
    )
    assert 'href="pktc://subscribe/hub.test/feeds/trauer/podcast.xml"' in page
    assert "http://hub.test/feeds/trauer/blog.atom" in page
    assert '<script src="/static/js/site.js" defer></script>' in page
    assert "<script>" not in page  # no inline script
    assert group.slug in page


def test_group_page_paginates_episodes_and_posts(
    client, make_group, author, make_episode, make_post, publish
):
    group = make_group("viele")
    for n in range(21):
        publish(make_episode(group, author, title=f"Folge {n:02d}"))
    publish(make_post(group, author, title="Einziger Beitrag"))
    first = html(client.get("/groups/viele/"))
    assert "Folge 20" in first and "Folge 00" not in first
    second = html(client.get("/groups/viele/?page=2"))
    assert "Folge 00" in second and "Folge 20" not in second
    assert "Einziger Beitrag" in second
    assert client.get("/groups/viele/?posts_page=2").status_code == 404
    assert client.get("/groups/viele/?page=x").status_code == 200


def test_unlisted_group_page_works_but_is_noindex(client, make_group):
    make_group("leise", visibility="unlisted")
    resp = client.get("/groups/leise/")
    assert resp.status_code == 200
    assert resp.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html(resp)
    public = client.get("/")
    assert "X-Robots-Tag" not in public.headers


def test_private_group_only_for_members(client, anonymous, make_group, make_user, login):
    member = make_user()
    make_group("geheim", visibility="private", members={member: "member"})
    assert anonymous.get("/groups/geheim/").status_code == 404
    login(member)
    resp = client.get("/groups/geheim/")
    assert resp.status_code == 200
    assert resp.headers["X-Robots-Tag"] == "noindex, nofollow"
    page = html(resp)
    assert "/feeds/geheim/podcast.xml" not in page
    assert "application/ld+json" not in page


def test_unknown_pages_are_404(client, make_group, author, make_episode):
    group = make_group("da")
    episode = make_episode(group, author)
    other = make_group("dort")
    assert client.get("/groups/nope/").status_code == 404
    assert client.get(f"/groups/{other.slug}/episodes/{episode.id}").status_code == 404
    assert client.get("/groups/da/episodes/999999").status_code == 404
    assert client.get("/groups/da/posts/999999").status_code == 404


def test_drafts_are_404_for_visitors_but_visible_to_author(
    client, anonymous, make_group, author, make_episode, login
):
    group = make_group("entwurf")
    episode = make_episode(group, author, title="Noch nicht fertig")
    url = f"/groups/entwurf/episodes/{episode.id}"
    assert anonymous.get(url).status_code == 404
    login(author)
    resp = client.get(url)
    assert resp.status_code == 200
    assert resp.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "Not published" in html(resp)


def test_episode_page_content_note_comes_before_the_player(
    client, make_group, author, make_episode, publish
):
    group = make_group("achtsam")
    episode = publish(
        make_episode(group, author, title="Schwere Zeiten", content_note="Thema: Suizid")
    )
    page = main(client.get(f"/groups/achtsam/episodes/{episode.id}"))
    assert "Thema: Suizid" in page
    assert page.index("Thema: Suizid") < page.index("<audio")
    assert 'preload="none"' in page and 'aria-label="Play episode: Schwere Zeiten"' in page
    assert f'href="/media/episodes/{episode.guid}.mp3" download' in page


def test_episode_page_chapters_seek_and_fall_back_to_media_fragments(
    client, make_group, author, make_episode, publish
):
    group = make_group("kapitel")
    episode = make_episode(group, author, title="Mit Kapiteln")
    episode.chapters = [{"start_s": 0.0, "title": "Anfang"}, {"start_s": 75.5, "title": "Fragen"}]
    db.session.commit()
    publish(episode)
    page = html(client.get(f"/groups/kapitel/episodes/{episode.id}"))
    audio = f"/media/episodes/{episode.guid}.mp3"
    assert f'href="{audio}#t=75" data-seek="75.5"' in page
    assert "1:16</span> Fragen" in page  # 75.5 s rounds to 1:16
    assert "data-player" in page and 'preload="none"' in page


TRANSCRIPT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHallo und willkommen.\n\n" + "".join(
    f"00:{n:02d}:10.000 --> 00:{n:02d}:12.000\nSatz {n}.\n\n" for n in range(1, 15)
)


def test_episode_page_shows_the_transcript_with_times(
    client, make_group, author, make_episode, publish
):
    group = make_group("text")
    episode = make_episode(group, author)
    episode.transcript_vtt = TRANSCRIPT
    db.session.commit()
    publish(episode)
    page = html(client.get(f"/groups/text/episodes/{episode.id}"))
    assert "Hallo und willkommen." in page
    assert re.search(
        r'data-seek="1\.0" data-end="4\.0">0:01</a> <span class="cue-text">Hallo', page
    )
    assert "<details><summary>" in page  # long: folded away
    episode.transcript_vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nKurz.\n"
    db.session.commit()
    page = html(client.get(f"/groups/text/episodes/{episode.id}"))
    assert "Kurz." in page and "<details><summary>" not in page


def test_a_broken_stored_transcript_does_not_break_the_page(
    client, make_group, author, make_episode, publish
):
    group = make_group("kaputt")
    episode = make_episode(group, author)
    episode.transcript_vtt = "not a transcript at all"
    db.session.commit()
    publish(episode)
    resp = client.get(f"/groups/kaputt/episodes/{episode.id}")
    assert resp.status_code == 200
    assert "Transcript" not in html(resp)


def test_episode_page_share_and_embed_code(client, make_group, author, make_episode, publish):
    group = make_group("teilen")
    episode = publish(make_episode(group, author, title="Teil & <mich>"))
    page = html(client.get(f"/groups/teilen/episodes/{episode.id}"))
    url = f"http://hub.test/groups/teilen/episodes/{episode.id}"
    assert f'id="page-url" type="text" readonly value="{url}"' in page
    assert "mailto:?subject=Teil%20%26%20%3Cmich%3E&amp;body=http%3A//hub.test" in page
    code = re.search(r'<textarea id="embed-code"[^>]*>([^<]*)</textarea>', page).group(1)
    assert html_lib.unescape(code) == (
        f'<iframe src="http://hub.test/embed/episodes/{episode.guid}" '
        'title="Teil &amp; &lt;mich&gt;" width="100%" height="200" loading="lazy" '
        'style="border:0"></iframe>'
    )
    assert "<mich>" not in page


def test_credited_authors_are_named(
    client, make_group, make_user, make_episode, make_post, publish
):
    shy, named = make_user("Leise Stimme"), make_user("Offene Stimme")
    named.is_credited = True
    db.session.commit()
    group = make_group("namen")
    e1 = publish(make_episode(group, shy, title="Eins"))
    e2 = publish(make_episode(group, named, title="Zwei"))
    p = publish(make_post(group, named, title="Drei"))
    assert "Leise Stimme" not in html(client.get(f"/groups/namen/episodes/{e1.id}"))
    assert "By Offene Stimme" in html(client.get(f"/groups/namen/episodes/{e2.id}"))
    assert "By Offene Stimme" in html(client.get(f"/groups/namen/posts/{p.id}"))


def test_post_page_content_note_before_text(client, make_group, author, make_post, publish):
    from mediahub.posts.services import update_post

    group = make_group("blog")
    post = make_post(group, author, title="Ein Text", body="Der eigentliche Text.")
    update_post(post, author, {"content_note": "Thema: Sucht"})
    db.session.commit()
    publish(post)
    page = main(client.get(f"/groups/blog/posts/{post.id}"))
    assert page.index("Thema: Sucht") < page.index("Der eigentliche Text.")


def test_post_images_only_from_our_own_site(client, make_group, author, make_post, publish):
    group = make_group("bilder")
    body = "![Eigenes](/media/x.jpg) ![Fremdes Bild](https://tracker.example/p.gif)"
    post = publish(make_post(group, author, body=body))
    page = html(client.get(f"/groups/bilder/posts/{post.id}"))
    assert '<img src="/media/x.jpg" alt="Eigenes">' in page
    assert "tracker.example" not in page
    assert "Fremdes Bild" in page  # the description stays


@pytest.mark.parametrize("visibility", ["public", "unlisted"])
def test_embed_page_may_be_framed(client, make_group, author, make_episode, publish, visibility):
    group = make_group(visibility=visibility)
    episode = publish(make_episode(group, author, title="Zum Einbetten"))
    resp = client.get(f"/embed/episodes/{episode.guid}")
    assert resp.status_code == 200
    assert "X-Frame-Options" not in resp.headers
    assert "frame-ancestors *" in resp.headers["Content-Security-Policy"]
    page = html(resp)
    assert 'preload="none"' in page and "Zum Einbetten" in page and group.name in page
    assert f"/groups/{group.slug}/episodes/{episode.id}" in page
    # Every other page refuses to be framed.
    other = client.get(f"/groups/{group.slug}/episodes/{episode.id}")
    assert other.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in other.headers["Content-Security-Policy"]


def test_embed_page_is_404_unless_published_and_not_private(
    client, make_group, make_user, author, make_episode, publish, login
):
    draft = make_episode(make_group(), author)
    private = publish(
        make_episode(make_group(visibility="private", members={author: "member"}), author)
    )
    login(author)  # even the author may not embed these
    assert client.get(f"/embed/episodes/{draft.guid}").status_code == 404
    assert client.get(f"/embed/episodes/{private.guid}").status_code == 404
    assert client.get("/embed/episodes/nope").status_code == 404
