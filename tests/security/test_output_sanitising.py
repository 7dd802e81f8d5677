"""Every text that leaves us goes through the conversion meant for its destination.

Hostile text in every field a member can write (group name and description,
episode title, show notes, content note and chapter titles, post title and
body, display name, transcript) is read back as each consumer reads it:
feeds with podcastparser and feedparser, whose HTML (descriptions, show
notes) is then parsed as HTML the way an app renders it; pages and the embed
player as a browser parses them; the API as JSON; mails as a mail program;
ID3 tags with mutagen; chapters and transcripts as a web player.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import feedparser
import lxml.html
import podcastparser
import pytest
from lxml import etree

from mediahub.accounts.services import update_user
from mediahub.core.extensions import db
from mediahub.groups.services import update_group

PAYLOADS = {
    "script": '<script>alert("x")</script>',
    "event-handler": '<img src=x onerror=alert(1)><b onmouseover="alert(1)">hover</b>',
    "javascript-link": '[klick](javascript:alert(1)) <a href="javascript:alert(1)">x</a>',
    "script-end": "</script><script>alert(1)</script><!--",
    "cdata-end": "]]><script>alert(1)</script><![CDATA[",
    "line-break": "Zeile\r\nBcc: evil@example.org\u2028<svg onload=alert(1)>",
}
payloads = pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())

_DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """What a title looks like as plain text: one line, no control characters."""
    return " ".join(_CONTROLS.sub("", text).split())


def _check_element(el: Any, what: str) -> None:
    assert el.tag not in _DANGEROUS_TAGS, f"{what}: <{el.tag}> element"
    for name, value in el.attrib.items():
        assert not name.lower().startswith("on"), f"{what}: {name}= on <{el.tag}>"
        if name.lower() in _URL_ATTRS:
            url = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            assert not url.startswith(("javascript:", "vbscript:", "data:")), f"{what}: {url}"


def assert_inert_html(html: str | None, what: str) -> None:
    """Parsed as HTML (as an app renders show notes): nothing that runs."""
    if not html or not html.strip():
        return
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for el in root.iter():
        if isinstance(el.tag, str):
            assert el.tag != "form", f"{what}: <form> element"
            _check_element(el, what)


def assert_safe_page(html: str, what: str) -> Any:
    """A whole page: only our own scripts (JSON-LD data and files from
    /static/), no event handler, no javascript: URL. Returns the document."""
    doc = lxml.html.document_fromstring(html)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "script":
            if el.get("type") == "application/ld+json":
                json.loads(el.text)
            else:
                assert (el.get("src") or "").startswith("/static/"), f"{what}: inline script"
                assert not (el.text or "").strip(), f"{what}: inline script"
            continue
        _check_element(el, what)
    return doc


@pytest.fixture
def world(make_user, make_group, make_episode, make_post):
    """A public group whose every member-written text carries ``payload``,
    with a published episode (chapters, transcript) and post."""
    from mediahub.episodes.transcripts import to_vtt
    from mediahub.review import services as review

    def build(payload: str) -> Any:
        author, editor = make_user("Autorin"), make_user("Redaktion")
        group = make_group("offen", members={author: "member", editor: "editor"})
        notes = f"**Fett** {payload}\n\n{payload}"
        update_group(group, {"name": f"Gruppe {payload}", "description": notes})
        update_user(author, display_name=f"Name {payload}", is_credited=True)
        db.session.commit()
        episode = make_episode(
            group, author, title=f"Folge {payload}", description=notes, content_note=payload
        )
        episode.chapters = [
            {"start_s": 0.0, "title": f"Kapitel {payload}"},
            {"start_s": 5.0, "title": payload},
        ]
        cue = f"WEBVTT\n\n00:00.000 --> 00:02.000\n<v Anna>{payload}\n"
        episode.transcript_vtt = to_vtt(cue.encode())
        db.session.commit()
        post = make_post(group, author, title=f"Beitrag {payload}", body=notes)
        for item in (episode, post):
            review.submit(item, author)
            review.approve(item, editor)
            db.session.commit()
        return SimpleNamespace(group=group, author=author, episode=episode, post=post)

    return build


def _feed(app: Any, slug: str | None, name: str) -> bytes:
    root = Path(app.config["FEEDS_ROOT"]) / "public"
    data = ((root / slug / name) if slug else (root / name)).read_bytes()
    etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return data


def _check_podcast_feed(data: bytes, w: Any, *, channel_title: str | None) -> None:
    gpodder = podcastparser.parse("http://hub.test/feed.xml", io.BytesIO(data))
    if channel_title is not None:
        assert gpodder["title"] == channel_title
    assert_inert_html(gpodder.get("description"), "channel description")
    [ep] = gpodder["episodes"]
    assert ep["title"] == one_line(w.episode.title)
    assert_inert_html(ep["description_html"], "item description")
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert_inert_html(parsed.feed.get("subtitle"), "channel description (feedparser)")
    [entry] = parsed.entries
    assert_inert_html(entry.summary, "item summary (feedparser)")
    for content in entry.get("content", []):
        assert_inert_html(content.value, "content:encoded")
    tree = etree.fromstring(data)
    ns = {"podcast": "https://podcastindex.org/namespace/1.0"}
    # Raw element text, before any parser cleans it: what a careless app shows.
    for description in tree.iter("description"):
        assert_inert_html(description.text, "raw <description>")
    persons = tree.xpath("//item/podcast:person/text()", namespaces=ns)
    assert persons == [one_line(w.author.display_name)]


def _check_blog_feed(data: bytes, w: Any) -> None:
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    [entry] = parsed.entries
    assert entry.title == one_line(w.post.title)
    assert entry.author == one_line(w.author.display_name)
    for content in entry.content:
        assert content.type == "text/html"
        assert_inert_html(content.value, "Atom content")
    assert not _CONTROLS.search(parsed.feed.get("subtitle", ""))


@payloads
def test_feeds_carry_sanitised_html_and_plain_titles(app, world, payload: str) -> None:
    w = world(payload)
    _check_podcast_feed(_feed(app, "offen", "podcast.xml"), w, channel_title=one_line(w.group.name))
    _check_podcast_feed(_feed(app, None, "podcast.xml"), w, channel_title=None)
    _check_blog_feed(_feed(app, "offen", "blog.atom"), w)
    _check_blog_feed(_feed(app, None, "blog.atom"), w)


def _meta(doc: Any, prop: str) -> str:
    [content] = doc.xpath(f"//meta[@property='{prop}']/@content")
    return content


@payloads
def test_pages_and_the_embed_player_run_nothing_a_member_wrote(
    world, anonymous, payload: str
) -> None:
    w = world(payload)
    slug, guid = w.group.slug, w.episode.guid
    pages = {
        "episode": f"/groups/{slug}/episodes/{w.episode.id}",
        "post": f"/groups/{slug}/posts/{w.post.id}",
        "group": f"/groups/{slug}/",
        "home": "/",
        "embed": f"/embed/episodes/{guid}",
    }
    docs = {}
    for name, url in pages.items():
        resp = anonymous.get(url)
        assert resp.status_code == 200, url
        docs[name] = assert_safe_page(resp.get_data(as_text=True), name)
    episode = docs["episode"]
    assert _meta(episode, "og:title") == one_line(w.episode.title)
    [ld] = [json.loads(s.text) for s in episode.iter("script") if s.get("type")]
    assert ld["name"] == one_line(w.episode.title)
    assert ld["author"]["name"] == one_line(w.author.display_name)
    assert ld["partOfSeries"]["name"] == one_line(w.group.name)
    assert "\n" not in _meta(docs["post"], "og:description")
    # The share link's mail subject: one line in the visitor's mail program.
    [mailto] = episode.xpath("//a[starts-with(@href, 'mailto:')]/@href")
    subject = parse_qs(urlsplit(mailto).query)["subject"][0]
    assert subject == one_line(w.episode.title)


@payloads
def test_the_api_returns_what_members_wrote_as_json_data(world, anonymous, payload: str) -> None:
    w = world(payload)
    resp = anonymous.get(f"/api/v1/episodes/{w.episode.id}")
    assert resp.mimetype == "application/json"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    body = resp.get_json()
    assert body["title"] == w.episode.title
    assert body["description"] == w.episode.description
    assert body["author"] == w.author.display_name
    post = anonymous.get(f"/api/v1/posts/{w.post.id}").get_json()
    assert post["body"] == w.post.body


@payloads
def test_mail_subjects_stay_one_header(inbox, world, payload: str) -> None:
    w = world(payload)
    assert inbox.messages, "no mail was sent"
    for msg in inbox.messages:
        assert msg.get_all("Subject") and len(msg.get_all("Subject")) == 1
        assert msg.get_all("Bcc") is None
        subject = str(msg["Subject"])
        assert not re.search("[\r\n\u2028\u2029\x85]", subject)
        assert one_line(w.episode.title) in subject or one_line(w.post.title) in subject
        body = inbox.body(msg)
        assert not _CONTROLS.search(body.replace("\n", "").replace("\t", ""))


def _tiny_mp3(path: Path) -> Path:
    from mediahub.audio.ffmpeg import ffmpeg_path

    subprocess.run(
        [
            *(ffmpeg_path(), "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi"),
            *("-i", "anullsrc=r=44100:cl=mono", "-t", "8", "-c:a", "libmp3lame", str(path)),
        ],
        check=True,
        timeout=60,
    )
    return path


@payloads
def test_id3_tags_chapters_and_transcripts_are_plain_text(
    app, world, anonymous, tmp_path: Path, payload: str
) -> None:
    from mutagen.id3 import ID3

    from mediahub.audio import write_tags
    from mediahub.media.options import pipeline_options

    w = world(payload)
    tags = pipeline_options(app.config, w.episode).tags
    mp3 = _tiny_mp3(tmp_path / "folge.mp3")
    write_tags(mp3, tags)
    id3 = ID3(mp3)
    assert id3["TIT2"].text == [one_line(w.episode.title)]
    assert id3["TPE1"].text == [one_line(w.group.name)]
    comment = id3.getall("COMM")[0].text
    assert len(comment) == 1 and "**" not in comment[0]  # Markdown read as text
    chapters = sorted(id3.getall("CHAP"), key=lambda chap: chap.start_time)
    assert [chap.sub_frames["TIT2"].text for chap in chapters] == [
        [one_line(c["title"])] for c in w.episode.chapters
    ]

    guid = w.episode.guid
    chapters = json.loads(anonymous.get(f"/media/episodes/{guid}.chapters.json").data)
    assert [c["title"] for c in chapters["chapters"]] == [
        one_line(c["title"]) for c in w.episode.chapters
    ]
    vtt = anonymous.get(f"/media/episodes/{guid}.vtt").get_data(as_text=True)
    assert vtt.startswith("WEBVTT")
    for cue_text in vtt.split("-->", 1)[1].splitlines()[1:]:
        # A web player putting cue text into its page as HTML.
        assert_inert_html(cue_text, "transcript cue")
