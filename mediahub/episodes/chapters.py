"""Chapters: read from what people and tools send, written as the document we serve.

Accepted (one parser, :func:`parse_chapters`):

- "mm:ss Title" (or "h:mm:ss Title") lines, as people type them;
- a Podcasting 2.0 JSON chapters document as other tools export it and as
  we serve it ourselves: ``{"version", "title", "author", "chapters": [{
  "startTime", "endTime", "title", "url", "img", "toc"}]}`` — the
  document's own title and author are the episode's business and ignored,
  unknown keys are ignored;
- a list of ``{"start_s", "title"}`` (our API's own shape) or of chapter
  document entries.

Stored per chapter: ``start_s`` and ``title``, and only when given
``end_s``, ``url``, ``img`` and ``toc`` (``False`` only: a chapter not
listed in the table of contents, e.g. one that only changes the picture).
:func:`chapters_document` gives the same document back, so a document we
serve can be sent back unchanged and stays identical.
"""

from __future__ import annotations

import math
import re
from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.core import outbound
from mediahub.core import text as input_text
from mediahub.core.errors import InvalidInput
from mediahub.core.links import clean_url

#: Podcasting 2.0 JSON chapters (podcast:chapters); the version we write.
VERSION = "1.2.0"
MEDIA_TYPE = "application/json+chapters"
MAX_CHAPTERS = 100
TITLE_MAX = 200
_STAMP_PART = re.compile(r"\d{1,6}", re.ASCII)


def parse_chapters(value: Any, *, max_seconds: float) -> list[dict[str, Any]]:
    """Chapters from lines, a chapters document or a list, checked and sorted.

    Args:
        value: What was sent (see the module's docstring).
        max_seconds: No chapter may start later (the longest recording we take).

    Raises:
        InvalidInput: a line or entry that is not a chapter, a bad link, two
            chapters at the same time, or too many (``field`` is ``chapters``).
    """
    if isinstance(value, str):
        value = [
            _line(number, line) for number, line in enumerate(value.splitlines(), 1) if line.strip()
        ]
    elif isinstance(value, dict) and isinstance(value.get("chapters"), list):
        value = value["chapters"]
    if not isinstance(value, list) or len(value) > MAX_CHAPTERS:
        raise InvalidInput(
            _l("Please give at most %(n)d chapters.", n=MAX_CHAPTERS), field="chapters"
        )
    chapters = [_entry(number, entry, max_seconds) for number, entry in enumerate(value, 1)]
    chapters.sort(key=lambda c: c["start_s"])
    if len({c["start_s"] for c in chapters}) != len(chapters):
        raise InvalidInput(_l("Two chapters start at the same time."), field="chapters")
    return chapters


def chapters_document(chapters: list[dict[str, Any]]) -> dict[str, Any]:
    """The chapters as a Podcasting 2.0 JSON chapters document (what we serve)."""
    entries = []
    for chapter in chapters:
        entry: dict[str, Any] = {"startTime": _number(chapter["start_s"])}
        if chapter.get("end_s") is not None:
            entry["endTime"] = _number(chapter["end_s"])
        entry["title"] = outbound.line(chapter["title"])
        for key in ("url", "img"):
            if chapter.get(key):
                entry[key] = chapter[key]
        if chapter.get("toc") is False:
            entry["toc"] = False
        entries.append(entry)
    return {"version": VERSION, "chapters": entries}


def listed(chapters: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The chapters of the table of contents (pages, show notes, ID3 CTOC)."""
    return [c for c in chapters or [] if c.get("toc") is not False and c.get("title")]


def keep_extras(
    old: list[dict[str, Any]] | None, typed: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Chapters typed as lines, keeping what lines cannot say.

    A typed chapter with the whole second and the title of an existing one
    is that chapter, with its exact start, end, link and picture; chapters
    hidden from the table of contents (which lines do not show) stay.
    """
    existing = {(int(c["start_s"]), c["title"]): c for c in listed(old)}
    kept = [existing.get((int(c["start_s"]), c["title"]), c) for c in typed]
    starts = {c["start_s"] for c in kept}
    hidden = [c for c in old or [] if c not in listed(old) and c["start_s"] not in starts]
    return sorted(kept + hidden, key=lambda c: c["start_s"])


def _number(seconds: float) -> float | int:
    return int(seconds) if float(seconds).is_integer() else seconds


def _entry(number: int, entry: Any, max_seconds: float) -> dict[str, Any]:
    """One chapter from our shape or a document entry; unknown keys are ignored."""
    if not isinstance(entry, dict):
        raise _bad(number)
    is_document = "startTime" in entry
    start = _seconds(entry.get("startTime" if is_document else "start_s"))
    hidden = is_document and entry.get("toc") is False
    title = entry.get("title")
    title = " ".join(input_text.clean_text(title).split()) if isinstance(title, str) else ""
    if start is None or len(title) > TITLE_MAX or not (title or hidden):
        raise _bad(number)
    if start > max_seconds:
        raise InvalidInput(_l("A chapter starts after the end of the recording."), field="chapters")
    chapter: dict[str, Any] = {"start_s": start, "title": title}
    if not is_document:
        return chapter
    end = _seconds(entry.get("endTime"))
    if end is not None and end > start:
        chapter["end_s"] = end
    for key in ("url", "img"):
        link = entry.get(key)
        if isinstance(link, str) and link.strip():
            chapter[key] = _link(number, link)
    if hidden:
        chapter["toc"] = False
    return chapter


def _seconds(value: Any) -> float | None:
    """A finite number of seconds of at least 0 (no booleans, NaN, 1e400 …)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        seconds = float(value)
    except OverflowError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _link(number: int, value: str) -> str:
    try:
        return clean_url(value, field="chapters")
    except InvalidInput:
        raise InvalidInput(
            _l(
                "Chapter %(n)d: links and pictures need an address starting with https://", n=number
            ),
            field="chapters",
        ) from None


def _bad(number: int) -> InvalidInput:
    return InvalidInput(
        _l("Chapter %(n)d needs a start time (seconds) and a title.", n=number), field="chapters"
    )


def _line(number: int, line: str) -> dict[str, Any]:
    stamp, _, title = line.strip().partition(" ")
    parts = stamp.split(":")
    if not (2 <= len(parts) <= 3 and all(_STAMP_PART.fullmatch(p) for p in parts)):
        raise InvalidInput(
            _l('Line %(n)d: please write "mm:ss Title", e.g. "05:30 Our questions".', n=number),
            field="chapters",
        )
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return {"start_s": seconds, "title": title}


def chapter_lines(chapters: list[dict[str, Any]] | None) -> str:
    """The listed chapters as the "mm:ss Title" lines people type (hours when needed)."""
    lines = []
    for chapter in listed(chapters):
        total = int(chapter["start_s"])
        hours, rest = divmod(total, 3600)
        stamp = (
            f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
            if hours
            else f"{rest // 60:02d}:{rest % 60:02d}"
        )
        lines.append(f"{stamp} {chapter['title']}")
    return "\n".join(lines)
