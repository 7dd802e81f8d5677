"""Recognised speech as caption cues a person can read, and SubRip text.

Whisper's segments are up to 30 seconds of text; on a screen a cue should
be one or two lines that stay long enough to read. Segments are split
between words (the recogniser times every word) after a sentence, else after
a comma, else before the cue grows past :data:`MAX_CHARS` characters or
:data:`MAX_SECONDS`; times come from the words, so "play from here" starts
where the cue's first word is spoken.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import webvtt

#: Two lines of 42 characters (the usual subtitle limit) and 7 seconds.
MAX_CHARS = 84
MAX_SECONDS = 7.0
#: A cue may end at a sentence once it is this long, at a comma once this long.
SENTENCE_CHARS = 30
COMMA_CHARS = 55
_SENTENCE_END = (".", "!", "?", "…")


class RecognitionFailed(Exception):
    """The audio could not be read or recognised (the message says why)."""


@dataclass(frozen=True, slots=True)
class Word:
    start_s: float
    end_s: float
    text: str  # as the recogniser wrote it, with its leading space


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of recognised speech, times in seconds from the file's start."""

    start_s: float
    end_s: float
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True, slots=True)
class Cue:
    """One caption: times in seconds, the speaker's name ("" for none), one line of text."""

    start_s: float
    end_s: float
    speaker: str
    text: str


def captions(segments: Iterable[Segment]) -> Iterator[Cue]:
    """Readable cues from recognised segments, in order."""
    for segment in segments:
        if not segment.words:
            yield Cue(segment.start_s, segment.end_s, "", " ".join(segment.text.split()))
            continue
        yield from _split(segment.words)


def _split(words: tuple[Word, ...]) -> Iterator[Cue]:
    current: list[Word] = []
    for word in words:
        if current and _too_long(current, word):
            yield _cue(current)
            current = []
        current.append(word)
        if _ends_here(_text(current)):
            yield _cue(current)
            current = []
    if current:
        yield _cue(current)


def _ends_here(text: str) -> bool:
    """A good place to end a cue: a sentence's end, or a comma in a long cue."""
    if text.endswith(_SENTENCE_END):
        return len(text) >= SENTENCE_CHARS
    return text.endswith(",") and len(text) >= COMMA_CHARS


def _too_long(current: list[Word], word: Word) -> bool:
    return len(_text([*current, word])) > MAX_CHARS or word.end_s - current[0].start_s > MAX_SECONDS


def _text(words: list[Word]) -> str:
    return " ".join("".join(w.text for w in words).split())


def _cue(words: list[Word]) -> Cue:
    return Cue(words[0].start_s, max(words[-1].end_s, words[0].start_s), "", _text(words))


def srt_stamp(seconds: float) -> str:
    """``hh:mm:ss,mmm`` as SubRip writes it."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d},{rest % 1000:03d}"


def write_srt(cues: Iterable[Cue]) -> str:
    """A SubRip file of ``cues``; a speaker is written as "Name: " before the
    text when it changes (the podcast namespace's convention for SRT)."""
    blocks = []
    speaker = ""
    for number, cue in enumerate(cues, 1):
        text = " ".join(cue.text.split())
        name = " ".join(cue.speaker.split())
        if name and name != speaker:
            text = f"{name}: {text}"
        speaker = name or speaker
        blocks.append(f"{number}\n{srt_stamp(cue.start_s)} --> {srt_stamp(cue.end_s)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def vtt_stamp(seconds: float) -> str:
    """``hh:mm:ss.mmm`` as WebVTT writes it."""
    return srt_stamp(seconds).replace(",", ".")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(cues: Iterable[Cue]) -> str:
    """A WebVTT file of ``cues``: one line of text each, escaped (no markup
    and no ``-->`` can come from it), the speaker as the cue's voice."""
    blocks = ["WEBVTT"]
    for cue in cues:
        name = " ".join(cue.speaker.split())
        voice = f"<v {_escape(name)}>" if name else ""
        text = _escape(" ".join(cue.text.split()))
        blocks.append(f"{vtt_stamp(cue.start_s)} --> {vtt_stamp(cue.end_s)}\n{voice}{text}")
    return "\n\n".join(blocks) + "\n"


def _seconds(stamp: str) -> float:
    total = 0.0
    for part in stamp.split(":"):
        total = total * 60 + float(part)
    return round(total, 3)


def read_vtt(text: str | None) -> list[Cue]:
    """The cues of a WebVTT transcript with their speakers, as plain text
    (a file that does not parse gives none)."""
    if not text:
        return []
    try:
        parsed = webvtt.from_buffer(io.BytesIO(text.encode()), format="vtt")
    except Exception:  # webvtt-py raises several kinds for a damaged file
        return []
    return [
        Cue(
            _seconds(c.start),
            _seconds(c.end),
            html.unescape(c.voice or ""),
            html.unescape(" ".join(c.text.split())),
        )
        for c in parsed.captions
    ]
