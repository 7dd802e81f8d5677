"""Every text that leaves us, converted for where it goes: one function per destination.

What members write (titles, show notes, content notes, chapter titles,
group names and descriptions, display names, comments) reaches pages,
feeds, podcast apps, the API, mails, ID3 tags and link previews. Each
destination reads text differently, so each has its own conversion, and
every output goes through the one meant for it:

===============================================  =======================
destination                                      function
===============================================  =======================
pages, RSS ``description`` and ``content:encoded``  :func:`html` (Markdown)
(apps render them as HTML), Atom ``content``     :func:`html_text` (text)
titles, names, ``podcast:person``, chapter       :func:`line`
titles (feed, JSON, ID3), ID3 text frames,
``og:title``, JSON-LD names, mail values
ID3 comment, Atom ``subtitle``                   :func:`text`
``og:description``, meta and JSON-LD description :func:`summary`
JSON-LD inside ``<script>``                      :func:`script_json`
mail subject and other headers                   :func:`mail_header`
multi-line plain text in a mail body             :func:`text_block`
WebVTT transcripts served to players             :func:`vtt`
a cell of a CSV file (statistics exports)        :func:`csv_cell`
===============================================  =======================

HTML destinations get sanitised HTML (nh3: no script, no event handler, no
``javascript:`` URL); plain-text destinations get text without the
characters XML 1.0, ID3 (NUL separates values) or a mail header (CR, LF,
Unicode line breaks) cannot carry. The API returns what members wrote as
data (JSON strings), which its clients show as text.
"""

from __future__ import annotations

import html as _html
import re
from typing import Any

import nh3
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from mediahub.core.markdown import render_markdown
from mediahub.core.text import FORBIDDEN

# Everything XML 1.0 forbids is removed from every input already
# (mediahub.core.text); the same list keeps older text, and our own, out of
# what we send.
_XML_FORBIDDEN = FORBIDDEN
# Also gone from a plain-text block: DEL and the C1 controls (U+0085 is a
# line break to some readers).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

SUMMARY_MAX = 300


def xml_safe(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot carry ("" for None)."""
    if not text:
        return ""
    return _XML_FORBIDDEN.sub("", text)


def html(markdown: str | None, *, absolute_base: str | None = None) -> Markup:
    """Sanitised HTML of a member's Markdown (show notes, post bodies, group
    descriptions): for pages, and for feed elements apps render as HTML
    (there with ``absolute_base``, the hub's address: apps and feed readers
    resolve no relative address, so every one is made absolute)."""
    return render_markdown(xml_safe(markdown), absolute_base=absolute_base)


def html_text(text: str | None) -> Markup:
    """Plain text for an HTML destination: escaped, so that it stays text."""
    return escape(xml_safe(text))


def line(text: str | None) -> str:
    """One line of plain text: titles, names, chapter titles, ID3 text frames,
    ``og:title``, mail values. Every run of white space (line breaks of any
    kind included) becomes one space; control characters go."""
    return " ".join(_CONTROLS.sub("", text or "").split())


def text(markdown: str | None) -> str:
    """A member's Markdown as the plain text a reader sees (no markup, one
    line per paragraph or list item): ID3 comments, Atom subtitles."""
    rendered = nh3.clean(str(html(markdown)), tags=set())
    lines = (line(part) for part in _html.unescape(rendered).splitlines())
    return "\n".join(part for part in lines if part)


def summary(markdown: str | None, limit: int = SUMMARY_MAX) -> str:
    """A member's Markdown as one line of plain text, cut at a word near
    ``limit``: link previews (``og:description``), meta and JSON-LD."""
    one = line(text(markdown))
    if len(one) <= limit:
        return one
    return one[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def text_block(value: str | None) -> str:
    """Plain text that keeps its line breaks (a comment in a mail body)."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _CONTROLS.sub("", value).strip()


def mail_header(value: str | None, limit: int = 250) -> str:
    """A mail header's text (the subject): one line, so that nothing a member
    wrote can end the header and start another."""
    one = line(value)
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


#: What makes a spreadsheet read a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | None) -> str:
    """One line of text for a CSV cell: a spreadsheet opening the file never
    runs it as a formula (a leading ``=``, ``+``, ``-``, ``@`` gets a ``'``,
    as OWASP recommends)."""
    one = line(value)
    return "'" + one if one.startswith(_FORMULA_START) else one


def script_json(data: Any) -> Markup:
    """JSON to put inside a ``<script>`` element (JSON-LD): ``<``, ``>``,
    ``&`` and ``'`` are written as ``\\u`` escapes, so ``</script>`` in a
    title cannot end the element."""
    return htmlsafe_json_dumps(data)


# WebVTT cue text may carry its own few tags (class, italics, bold,
# underline, voice, language, ruby, timestamps). Any other tag (HTML from a
# subtitle editor, or worse) is removed and a stray "<" escaped, so a web
# player that puts cue text into a page gets text, not markup.
# Voice and language tags carry a name; it may not hold what would become an
# attribute in an HTML parser (=, quotes, a slash).
_VTT_TAG = re.compile(
    r"</?(?:c|i|b|u|ruby|rt)(?:\.[\w-]+)*>"
    r"|<(?:v|lang)(?:\.[\w-]+)*[ \t][^<>&\n=\"'`/]+>|</(?:v|lang)>"
    r"|<\d{2,}:\d{2}(?::\d{2})?\.\d{3}>"
)
_OTHER_TAG = re.compile(r"</?[A-Za-z!?/][^<>]*>")
_VTT_AMP = re.compile(r"&(?!(?:amp|lt|gt|lrm|rlm|nbsp);)")


def _vtt_escape(chunk: str) -> str:
    chunk = _VTT_AMP.sub("&amp;", _OTHER_TAG.sub("", chunk))
    return chunk.replace("<", "&lt;").replace(">", "&gt;")


def _vtt_cue_text(row: str) -> str:
    out, pos = [], 0
    for match in _VTT_TAG.finditer(row):
        out += [_vtt_escape(row[pos : match.start()]), match.group(0)]
        pos = match.end()
    out.append(_vtt_escape(row[pos:]))
    return "".join(out)


def vtt(document: str | None) -> str:
    """A WebVTT transcript as we serve it: timings as stored, the text of
    every cue limited to WebVTT's own tags, no "<" anywhere else."""
    out: list[str] = []
    in_cue = False
    for row in xml_safe(document).split("\n"):
        if not row.strip():
            in_cue = False
            out.append(row)
        elif in_cue:
            out.append(_vtt_cue_text(row))
        else:
            in_cue = "-->" in row
            out.append(row.replace("<", "&lt;"))
    return "\n".join(out)
