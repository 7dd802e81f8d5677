"""Transcripts: WebVTT kept as uploaded (SRT converted), read back as cues.

webvtt-py does the parsing; we only decide what we accept and how to say
what is wrong.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import webvtt
from flask_babel import lazy_gettext as _l
from webvtt.errors import MalformedCaptionError, MalformedFileError

from mediahub.core.errors import InvalidInput
from mediahub.core.text import clean_text

#: A transcript of a six-hour recording is about 400 kB; more is not a transcript.
MAX_TRANSCRIPT_BYTES = 2 * 1024**2


@dataclass(frozen=True, slots=True)
class Cue:
    start_s: float
    end_s: float
    text: str  # plain text, markup removed


def _seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def to_vtt(data: bytes) -> str:
    """Validate an uploaded WebVTT or SRT file and return it as WebVTT text.

    The format is recognised by content (a WebVTT file starts with
    ``WEBVTT``), not by the file name.

    Raises:
        InvalidInput: too large, not UTF-8, not a subtitle file, or no cues.
    """
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise InvalidInput(_l("The transcript file is too large (at most 2 MB)."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            _l("Please save the transcript as UTF-8 text (WebVTT or SRT)."), field="file"
        ) from None
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    fmt = "vtt" if text.lstrip().startswith("WEBVTT") else "srt"
    try:
        parsed = webvtt.from_buffer(io.BytesIO(text.encode()), format=fmt)
    except (MalformedFileError, MalformedCaptionError, ValueError, IndexError):
        raise InvalidInput(
            _l("This is not a transcript file. Please upload WebVTT (.vtt) or SubRip (.srt)."),
            field="file",
        ) from None
    if not parsed.captions:
        raise InvalidInput(_l("The transcript file contains no text."), field="file")
    return text if fmt == "vtt" else parsed.content


def cues(vtt: str | None) -> list[Cue]:
    """The transcript's cues in order, as plain text (for pages and search)."""
    if not vtt:
        return []
    parsed = webvtt.from_buffer(io.BytesIO(vtt.encode()), format="vtt")
    return [Cue(_seconds(c.start), _seconds(c.end), c.text) for c in parsed.captions]
