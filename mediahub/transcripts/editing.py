"""Changing a transcript's cues: words, speakers, merging and splitting.

Pure functions on lists of :class:`~.captions.Cue`. The editor posts only
the texts and speakers of the cues it showed; times always come from the
stored cues (so nobody can post a time), and merging or splitting derives
new times from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from mediahub.transcripts.captions import Cue

#: Longest text of one cue and longest speaker name.
CUE_TEXT_MAX = 1000
SPEAKER_MAX = 100
#: Most cues of one transcript an edit may send (six hours, a cue every 1.5 s).
MAX_CUES = 15_000
#: Times closer than this (seconds) are the same (WebVTT keeps milliseconds).
_SAME_TIME = 0.0005
#: Where a person typed this into a cue's text, "Split" splits (without script).
SPLIT_MARK = "||"


class EditRefused(ValueError):
    """The edit does not fit the transcript (the message says why, in English;
    ``code`` names the case for a translated message)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def one_line(text: str) -> str:
    return " ".join(text.split())


def with_words(cues: Sequence[Cue], texts: Sequence[str], speakers: Sequence[str]) -> list[Cue]:
    """The cues with the texts and speakers a person edited, times unchanged.

    Raises:
        EditRefused: the lists do not match the cues (an edit of an older
            version), or a text or name is too long.
    """
    if len(texts) != len(cues) or len(speakers) != len(cues):
        raise EditRefused("stale", "the transcript changed since the page was loaded")
    out = []
    for cue, text, speaker in zip(cues, texts, speakers, strict=True):
        text, speaker = text.strip(), one_line(speaker)
        if len(text) > CUE_TEXT_MAX:
            raise EditRefused("text_too_long", f"a cue's text is longer than {CUE_TEXT_MAX}")
        if len(speaker) > SPEAKER_MAX:
            raise EditRefused("speaker_too_long", f"a speaker's name is longer than {SPEAKER_MAX}")
        out.append(replace(cue, text=text, speaker=speaker))
    return out


def check_times(cues: Sequence[Cue], times: Sequence[tuple[float, float]]) -> None:
    """Refuse ``times`` unless they are the cues' own (start, end), in order:
    an edit changes words and speakers, never times.

    Raises:
        EditRefused: other times, another number of cues, or another order.
    """
    if len(times) != len(cues):
        raise EditRefused("stale", "the transcript changed since it was read")
    for cue, (start, end) in zip(cues, times, strict=True):
        if abs(cue.start_s - start) > _SAME_TIME or abs(cue.end_s - end) > _SAME_TIME:
            raise EditRefused("times_changed", "the times of the cues cannot be changed")


def without_empty(cues: Sequence[Cue]) -> list[Cue]:
    """Cues whose text was deleted are gone (a split mark alone counts as empty)."""
    return [c for c in cues if one_line(c.text.replace(SPLIT_MARK, " "))]


def merge(cues: Sequence[Cue], index: int) -> list[Cue]:
    """Cue ``index`` and the next one as one cue (the first one's speaker).

    Raises:
        EditRefused: there is no next cue.
    """
    if not 0 <= index < len(cues) - 1:
        raise EditRefused("no_next", "the last cue has none after it to merge with")
    first, second = cues[index], cues[index + 1]
    merged = Cue(
        first.start_s,
        max(first.end_s, second.end_s),
        first.speaker or second.speaker,
        f"{first.text.rstrip()} {second.text.lstrip()}".strip(),
    )
    return [*cues[:index], merged, *cues[index + 2 :]]


def split(cues: Sequence[Cue], index: int, at: int | None = None) -> list[Cue]:
    """Cue ``index`` in two: at the character ``at`` (the editor's cursor), else
    where ``||`` was typed, else between the words nearest its middle. The time
    is shared in proportion to the text on each side.

    Raises:
        EditRefused: no such cue, or nothing to split (one word).
    """
    if not 0 <= index < len(cues):
        raise EditRefused("no_cue", "there is no such cue")
    cue = cues[index]
    left, right = _halves(cue.text, at)
    if not one_line(left) or not one_line(right):
        raise EditRefused("one_word", "a cue of one word cannot be split")
    share = len(left) / max(1, len(left) + len(right))
    middle = round(cue.start_s + (cue.end_s - cue.start_s) * share, 3)
    first = Cue(cue.start_s, middle, cue.speaker, one_line(left))
    second = Cue(middle, cue.end_s, cue.speaker, one_line(right))
    return [*cues[:index], first, second, *cues[index + 1 :]]


def _halves(text: str, at: int | None) -> tuple[str, str]:
    if SPLIT_MARK in text:
        left, _, right = text.partition(SPLIT_MARK)
        return left, right.replace(SPLIT_MARK, " ")
    if at is not None and 0 < at < len(text):
        return text[:at], text[at:]
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text, ""
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut], text[cut + 1 :]


def rename_speaker(cues: Sequence[Cue], old: str, new: str) -> list[Cue]:
    """Every cue of speaker ``old`` given to ``new`` (empty: no speaker)."""
    old, new = one_line(old), one_line(new)
    if len(new) > SPEAKER_MAX:
        raise EditRefused("speaker_too_long", f"a speaker's name is longer than {SPEAKER_MAX}")
    return [replace(c, speaker=new) if c.speaker == old else c for c in cues]


def speakers(cues: Sequence[Cue]) -> list[str]:
    """The speakers named in the transcript, in order of appearance."""
    seen: dict[str, None] = {}
    for cue in cues:
        if cue.speaker:
            seen.setdefault(cue.speaker, None)
    return list(seen)
