"""Podcasting 2.0 JSON transcripts, read into WebVTT and written from it.

The format (podcast namespace, ``transcripts/transcripts.md``)::

    {"version": "1.0.0",
     "segments": [{"speaker": "Anna", "startTime": 0.5, "endTime": 0.75, "body": "Hallo"}, …]}

Tools export it at two levels of detail: one segment per sentence (or
turn), or one per *word* (speech recognisers, with the sentence end as a
``"\\n"`` at the end of a body). We keep transcripts as WebVTT, so
sentences become cues, and words are gathered into cues of one speaker that
end at a sentence end, a pause or a reasonable length. The speaker becomes
the cue's voice (``<v Anna>``). Unknown keys are ignored; times are finite
seconds (numbers, or numbers written as text, as some tools do).
"""

from __future__ import annotations

import html
import io
import itertools
import math
from dataclasses import dataclass
from typing import Any

import webvtt
from flask_babel import lazy_gettext as _l

from mediahub.core.errors import InvalidInput
from mediahub.core.text import clean_text
from mediahub.episodes.vtt import write_vtt
from mediahub.web.jsonbody import BadJSON, loads

#: The version we write.
VERSION = "1.0.0"
#: Word-level exports are verbose (about 90 bytes a word): 8 MB are ~4 hours.
MAX_JSON_BYTES = 8 * 1024**2
SPEAKER_MAX = 100
#: Words are gathered into one cue until a sentence ends after this many
#: seconds or characters, or a pause this long; never beyond the hard limits.
_SOFT_SECONDS, _SOFT_CHARS = 4.0, 50
_HARD_SECONDS, _HARD_CHARS = 10.0, 120
_PAUSE_SECONDS = 1.5
_SENTENCE_END = (".", "!", "?", "…", ":", ";")
_NO_SPACE_BEFORE = (",", ".", "!", "?", "…", ":", ";", ")", "'", "\u2019")
#: A segment without an end time lasts until the next one, at most this long.
_DEFAULT_LENGTH = 3.0


@dataclass(frozen=True)
class Segment:
    start_s: float
    end_s: float | None
    speaker: str
    body: str
    ends_line: bool


def looks_like_json(text: str) -> bool:
    """Whether an uploaded transcript is JSON (decided by content, not name)."""
    return text.lstrip("\ufeff \t\r\n").startswith("{")


def json_to_vtt(data: bytes | str) -> str:
    """A Podcasting 2.0 JSON transcript as WebVTT text.

    Raises:
        InvalidInput: too large, not JSON, not a transcript document, or no
            segment with a start time and text (``field`` is ``file``).
    """
    size = len(data.encode() if isinstance(data, str) else data)
    if size > MAX_JSON_BYTES:
        raise InvalidInput(
            _l("The transcript file is too large (at most 8 MB for JSON)."), field="file"
        )
    try:
        document = loads(data)
    except BadJSON as err:
        raise InvalidInput(err.message, field="file") from None
    segments = document.get("segments") if isinstance(document, dict) else None
    if not isinstance(segments, list):
        raise InvalidInput(
            _l('This JSON is not a transcript: it needs a list of "segments".'), field="file"
        )
    parsed = sorted(
        (s for s in (_segment(entry) for entry in segments) if s is not None),
        key=lambda s: s.start_s,
    )
    if not parsed:
        raise InvalidInput(_l("The transcript file contains no text."), field="file")
    return write_vtt((c.start_s, c.end_s, c.speaker, c.text) for c in _cues(parsed))


def vtt_to_json(vtt: str) -> dict[str, Any]:
    """A WebVTT transcript as a Podcasting 2.0 JSON transcript document."""
    parsed = webvtt.from_buffer(io.BytesIO(vtt.encode()), format="vtt")
    segments = []
    for caption in parsed.captions:
        segment: dict[str, Any] = {}
        if caption.voice:
            segment["speaker"] = html.unescape(caption.voice)
        segment["startTime"] = _number(_seconds(caption.start))
        segment["endTime"] = _number(_seconds(caption.end))
        segment["body"] = html.unescape(caption.text)
        segments.append(segment)
    return {"version": VERSION, "segments": segments}


def _seconds(stamp: str) -> float:
    seconds = 0.0
    for part in stamp.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _number(seconds: float) -> float | int:
    value = round(seconds, 3)
    return int(value) if value.is_integer() else value


def _time(value: Any) -> float | None:
    """Seconds from a JSON number or a number written as text; None if not finite."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float):
        return None
    try:
        seconds = float(value)
    except OverflowError:
        return None
    return seconds if math.isfinite(seconds) and 0 <= seconds <= 7 * 24 * 3600 else None


def _segment(entry: Any) -> Segment | None:
    """One segment, or None for an entry without a start time or text."""
    if not isinstance(entry, dict):
        return None
    start = _time(entry.get("startTime"))
    body = entry.get("body")
    if start is None or not isinstance(body, str):
        return None
    raw = clean_text(body)
    text = " ".join(raw.split())
    if not text:
        return None
    end = _time(entry.get("endTime"))
    speaker = entry.get("speaker")
    speaker = (
        " ".join(clean_text(speaker).split())[:SPEAKER_MAX] if isinstance(speaker, str) else ""
    )
    return Segment(
        start_s=start,
        end_s=end if end is not None and end > start else None,
        speaker=speaker,
        body=text,
        ends_line=raw.rstrip(" \t").endswith("\n"),
    )


@dataclass
class _Cue:
    start_s: float
    end_s: float
    speaker: str
    words: list[str]
    closed: bool = False

    @property
    def text(self) -> str:
        out = ""
        for word in self.words:
            glue = "" if not out or word.startswith(_NO_SPACE_BEFORE) else " "
            out += glue + word
        return out


def _cues(segments: list[Segment]) -> list[_Cue]:
    """Sentences stay cues; single words are gathered into sentences."""
    cues: list[_Cue] = []
    for index, seg in enumerate(segments):
        following = segments[index + 1].start_s if index + 1 < len(segments) else None
        end = seg.end_s or _end_without_time(seg.start_s, following)
        current = cues[-1] if cues else None
        if current is not None and _continues(current, seg):
            current.words.append(seg.body)
            current.end_s = max(current.end_s, end)
        else:
            current = _Cue(seg.start_s, end, seg.speaker, [seg.body])
            cues.append(current)
        current.closed = _closes(current, seg)
    for cue, nxt in itertools.pairwise(cues):
        # Overlapping cues would be shown together; each ends where the next starts.
        cue.end_s = max(cue.start_s + 0.001, min(cue.end_s, nxt.start_s))
    return cues


def _end_without_time(start: float, following: float | None) -> float:
    if following is not None and following > start:
        return min(following, start + _DEFAULT_LENGTH)
    return start + _DEFAULT_LENGTH


def _continues(cue: _Cue, seg: Segment) -> bool:
    """Whether a word-level segment belongs to the cue being gathered."""
    is_word = len(seg.body.split()) == 1
    gathering = len(cue.words[-1].split()) == 1
    return (
        is_word
        and gathering
        and not cue.closed
        and seg.speaker == cue.speaker
        and seg.start_s - cue.end_s <= _PAUSE_SECONDS
        and seg.start_s - cue.start_s < _HARD_SECONDS
        and len(cue.text) + len(seg.body) < _HARD_CHARS
    )


def _closes(cue: _Cue, seg: Segment) -> bool:
    if seg.ends_line or len(seg.body.split()) > 1:
        return True
    long_enough = cue.end_s - cue.start_s >= _SOFT_SECONDS or len(cue.text) >= _SOFT_CHARS
    return long_enough and seg.body.endswith(_SENTENCE_END)
