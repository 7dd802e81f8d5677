"""The captions of a passage, cut from the episode's transcript.

Transcript cues are in episode time and may be long (a paragraph in one
cue); a clip shows them in clip time, a few words at a time, so that each
caption fits on the screen in at most three lines in a readable size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

#: At most this many words or characters on the screen at once.
MAX_WORDS = 12
MAX_CHARS = 72
#: Captions shorter than this (a cue cut at the passage's edge) are dropped.
MIN_SECONDS = 0.3


class TimedText(Protocol):
    @property
    def start_s(self) -> float: ...

    @property
    def end_s(self) -> float: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Caption:
    """A caption in clip time (seconds from the clip's start)."""

    start_s: float
    end_s: float
    text: str


def _chunks(words: Sequence[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for word in words:
        current = chunks[-1]
        length = sum(len(w) + 1 for w in current) + len(word)
        if current and (len(current) >= MAX_WORDS or length > MAX_CHARS):
            chunks.append([word])
        else:
            current.append(word)
    return [c for c in chunks if c]


def _split(start: float, end: float, text: str) -> list[Caption]:
    """One cue as captions of a few words each, its time shared out by length."""
    chunks = _chunks(text.split())
    total = sum(len(" ".join(c)) for c in chunks) or 1
    out: list[Caption] = []
    at = start
    for chunk in chunks:
        line = " ".join(chunk)
        span = (end - start) * len(line) / total
        out.append(Caption(at, at + span, line))
        at += span
    return out


def passage_captions(cues: Iterable[TimedText], start_s: float, duration_s: float) -> list[Caption]:
    """The captions of the passage ``start_s`` … ``start_s + duration_s``.

    Args:
        cues: Transcript cues in episode time, in order.
        start_s: Where the passage starts in the episode.
        duration_s: Its length.

    Returns:
        Captions in clip time, within 0 … ``duration_s``, in order, not
        overlapping.
    """
    end_s = start_s + duration_s
    out: list[Caption] = []
    for cue in cues:
        if cue.end_s <= start_s or cue.start_s >= end_s or not cue.text.split():
            continue
        for part in _split(cue.start_s, cue.end_s, " ".join(cue.text.split())):
            first = max(part.start_s, start_s) - start_s
            last = min(part.end_s, end_s) - start_s
            if out:
                first = max(first, out[-1].end_s)
            if last - first >= MIN_SECONDS:
                out.append(Caption(round(first, 3), round(last, 3), part.text))
    return out
