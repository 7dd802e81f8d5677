"""Show notes for feed items: sanitised HTML.

The content note comes first (in the group's language), then the
description, then the chapters as "mm:ss Title" lines: Spotify and several
apps turn those lines into chapter marks. The same HTML is the item's
``description`` and its ``content:encoded`` (most apps render either as
HTML), and the Atom entry's ``content``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from flask_babel import force_locale, gettext

from mediahub.core import outbound
from mediahub.episodes.chapters import listed


def timestamp(seconds: float, *, long: bool = False) -> str:
    """``05:30``, or ``1:05:30`` (and ``0:05:30`` with ``long``) from an hour on."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours or long:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def _babel_locale(language: str) -> str:
    return (language or "de").replace("-", "_")


@functools.lru_cache(maxsize=64)
def content_note_line(note: str, language: str) -> str:
    """ "Inhaltshinweis: Suizid, Sucht" in the group's language (plain text)."""
    with force_locale(_babel_locale(language)):
        return gettext("Content note: %(note)s", note=outbound.line(note))


def chapter_lines(chapters: list[dict[str, Any]] | None, duration_s: float | None) -> list[str]:
    """The chapters of the table of contents as "mm:ss Title" lines of plain text."""
    chapters = listed(chapters)
    if not chapters:
        return []
    long = max(duration_s or 0, chapters[-1]["start_s"]) >= 3600
    return [f"{timestamp(c['start_s'], long=long)} {outbound.line(c['title'])}" for c in chapters]


@functools.lru_cache(maxsize=8192)
def _markdown_html(text: str, base: str) -> str:
    # A rebuild renders every episode again; most descriptions did not change.
    return str(outbound.html(text, absolute_base=base))


def notes_html(note_line: str, body_markdown: str, chapters: list[str], *, base: str) -> str:
    """Sanitised HTML: content note, rendered Markdown, chapter lines; every
    address in it absolute under ``base`` (the hub's address), since apps and
    feed readers resolve no relative one."""
    parts = []
    if note_line:
        parts.append(f"<p><strong>{outbound.html_text(note_line)}</strong></p>")
    body = outbound.xml_safe(body_markdown)
    if body.strip():
        parts.append(_markdown_html(body, base))
    if chapters:
        parts.append("<p>" + "<br>\n".join(outbound.html_text(c) for c in chapters) + "</p>")
    return "\n".join(parts)


_PICTURE = re.compile(r"https?://[^\s\"'<>]+/media/images/(\d+)-([0-9a-f]{16})\.(jpg|png)")


def pictures_under_token(content: str, url_for: Callable[..., str], token: str) -> str:
    """A private group's post pictures at their addresses under the
    listener's feed ``token``: feed readers have no session to show them with."""

    def swap(match: re.Match[str]) -> str:
        values = {"asset_id": int(match[1]), "check": match[2], "ext": match[3]}
        if match[0] != url_for("media.post_image", **values):
            return match[0]  # an address of another site
        return url_for("media.private_post_image", token=token, **values)

    return _PICTURE.sub(swap, content)
