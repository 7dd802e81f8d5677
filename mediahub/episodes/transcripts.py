"""Transcripts: kept as WebVTT, whatever format they came in; read back as cues.

Accepted, recognised by content (never by the file name): WebVTT as
uploaded (voices ``<v Speaker>`` included), SubRip converted leniently
(:mod:`mediahub.episodes.srt`) and Podcasting 2.0 JSON transcripts
(:mod:`mediahub.episodes.transcript_json`). webvtt-py checks the result.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import webvtt
from flask_babel import lazy_gettext as _l
from webvtt.errors import MalformedCaptionError, MalformedFileError

from mediahub.core.errors import InvalidInput
from mediahub.core.text import clean_text
from mediahub.episodes.srt import srt_to_vtt
from mediahub.episodes.transcript_json import MAX_JSON_BYTES, json_to_vtt, looks_like_json

#: A transcript of a six-hour recording is about 400 kB; more is not a transcript.
MAX_TRANSCRIPT_BYTES = 2 * 1024**2
#: The most an upload may be: JSON transcripts of single words are verbose.
MAX_UPLOAD_BYTES = max(MAX_TRANSCRIPT_BYTES, MAX_JSON_BYTES)
_NOT_A_TRANSCRIPT = _l(
    "This is not a transcript file. Please upload WebVTT (.vtt), SubRip (.srt) or a "
    "Podcasting 2.0 JSON transcript."
)


@dataclass(frozen=True, slots=True)
class Cue:
    start_s: float
    end_s: float
    text: str  # plain text, markup removed
    speaker: str = ""  # the cue's voice (<v Speaker>), if it names one


def _seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def to_vtt(data: bytes) -> str:
    """Validate an uploaded transcript and return it as WebVTT text.

    Raises:
        InvalidInput: too large, not UTF-8, not a transcript, or no cues
            (``field`` is ``file``).
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(_l("The transcript file is too large (at most 2 MB)."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            _l("Please save the transcript as UTF-8 text (WebVTT, SRT or JSON)."), field="file"
        ) from None
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_json(text):
        text = json_to_vtt(text)
    elif not text.lstrip().startswith("WEBVTT"):
        text = srt_to_vtt(text)
    if len(text.encode()) > MAX_TRANSCRIPT_BYTES:
        raise InvalidInput(_l("The transcript file is too large (at most 2 MB)."), field="file")
    try:
        parsed = webvtt.from_buffer(io.BytesIO(text.encode()), format="vtt")
    except (MalformedFileError, MalformedCaptionError, ValueError, IndexError):
        raise InvalidInput(_NOT_A_TRANSCRIPT, field="file") from None
    if not parsed.captions:
        raise InvalidInput(_l("The transcript file contains no text."), field="file")
    return text


def cues(vtt: str | None) -> list[Cue]:
    """The transcript's cues in order, as plain text with their speakers (pages, search)."""
    if not vtt:
        return []
    parsed = webvtt.from_buffer(io.BytesIO(vtt.encode()), format="vtt")
    return [
        Cue(
            _seconds(c.start),
            _seconds(c.end),
            html.unescape(c.text),
            html.unescape(c.voice or "").strip(),
        )
        for c in parsed.captions
    ]


def readable_cues(vtt: str | None) -> list[Cue]:
    """:func:`cues` for pages: a stored file that no longer parses shows none
    rather than breaking the page."""
    try:
        return cues(vtt)
    except (MalformedFileError, MalformedCaptionError, ValueError, IndexError):
        return []


def clock(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``, as chapters and transcripts show times."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def transcript_lines(vtt: str | None) -> str:
    """The transcript as readable lines ("00:05 Anna: Hallo"), for comparisons."""
    return "\n".join(
        f"{clock(c.start_s)} {c.speaker + ': ' if c.speaker else ''}{' '.join(c.text.split())}"
        for c in readable_cues(vtt)
    )
