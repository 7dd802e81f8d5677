"""Whatever people type, the feed stays well-formed and says what they wrote.

Property tests straight against the pure builder, with fixed URLs.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import feedparser
import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediahub.core.outbound import line
from mediahub.episodes.models import EpisodeType
from mediahub.feeds import builder
from mediahub.feeds.hub_info import HubInfo
from mediahub.groups.models import Visibility

from .conftest import one, parse, xp

NASTY = [
    "<script>alert(1)</script>",
    "]]>",
    "<![CDATA[x]]>",
    "&amp;",
    "\x00",
    "\x08",
    "\x1b[31m",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "😀🫶",
    "שלום עולם",
    "مرحبا",
    "\u202e",
    "\t",
    "\r\n",
]
hostile = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(NASTY)), max_size=8).map("".join)
SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
WHEN = dt.datetime(2024, 5, 1, 18, 30, tzinfo=dt.UTC)


def fixed_url(endpoint: str, **values: Any) -> str:
    path = "/".join(f"{k}-{v}" for k, v in sorted(values.items()))
    # Artwork URLs end in .jpg, as Apple (and feedgen) require.
    suffix = ".jpg" if "cover" in endpoint or "image" in endpoint else ""
    return f"https://hub.example/{endpoint}/{path}{suffix}"


HUB = HubInfo(name="Hub", contact_email="hub@example.org")


def _group(name: str, description: str) -> Any:
    return SimpleNamespace(
        slug="g",
        name=name,
        description=description,
        language="de",
        category="self-help",
        visibility=Visibility.PUBLIC,
        is_explicit=False,
        funding_url=None,
        cover=None,
        updated_at=WHEN,
    )


def _author(name: str) -> Any:
    return SimpleNamespace(display_name=name, is_credited=True, is_active=True)


def _episode(group: Any, title: str, notes: str, note: str, chapter: str) -> Any:
    return SimpleNamespace(
        id=1,
        guid="0b7c5b1e-4a55-4a58-9a41-9b2b0d3f6a11",
        group=group,
        title=title,
        description=notes,
        content_note=note,
        chapters=[{"start_s": 0.0, "title": chapter or "x"}],
        episode_type=EpisodeType.FULL,
        season=None,
        number=None,
        is_explicit=False,
        has_transcript=False,
        image=None,
        author=_author(title),
        published_at=WHEN,
        updated_at=WHEN,
        audio=SimpleNamespace(rendition_size=1234, duration_s=61.0, updated_at=WHEN),
    )


def _no_script(html_text: str) -> None:
    if html_text.strip():
        fragment = lxml.html.fragment_fromstring(html_text, create_parent="div")
        assert fragment.findall(".//script") == []


@pytest.mark.usefixtures("app")
@SETTINGS
@given(title=hostile, notes=hostile, note=hostile, chapter=hostile, name=hostile)
def test_podcast_feed_survives_any_text(
    title: str, notes: str, note: str, chapter: str, name: str
) -> None:
    group = _group(name, notes)
    data = builder.build_podcast_feed(
        group, [_episode(group, title, notes, note, chapter)], url_for=fixed_url, hub=HUB
    )
    tree = parse(data)
    assert not feedparser.parse(data).bozo
    item = one(tree, "/rss/channel/item")
    assert one(item, "title/text()") == (line(title) or "-")
    assert one(tree, "/rss/channel/title/text()") == (line(name) or "-")
    html = one(item, "content:encoded/text()")
    _no_script(html)
    # Apps render <description> as HTML: it is the same sanitised HTML.
    if html:
        assert one(item, "description/text()") == html
    _no_script(one(tree, "/rss/channel/description/text()"))
    if line(note):
        first = lxml.html.fragment_fromstring(html, create_parent="div").find("p")
        assert first.text_content() == "Inhaltshinweis: " + line(note)


@pytest.mark.usefixtures("app")
@SETTINGS
@given(title=hostile, body=hostile, name=hostile)
def test_blog_feed_survives_any_text(title: str, body: str, name: str) -> None:
    group = _group(name, body)
    post = SimpleNamespace(
        id=1,
        guid="5f0c4f6e-1d7e-4f47-8a3b-5c2a8e9d0a10",
        group=group,
        title=title,
        body=body,
        content_note="",
        author=_author(name),
        published_at=WHEN,
        updated_at=WHEN,
    )
    data = builder.build_blog_feed(group, [post], url_for=fixed_url, hub=HUB)
    tree = parse(data)
    assert not feedparser.parse(data).bozo
    entry = one(tree, "/atom:feed/atom:entry")
    assert one(entry, "atom:title/text()") == (line(title) or "-")
    for content in xp(entry, "atom:content/text()"):
        _no_script(content)
