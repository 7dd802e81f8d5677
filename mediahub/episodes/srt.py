"""SubRip (.srt) transcripts as WebVTT, read as leniently as the tools write them.

Exports differ: numbered or not, blank lines doubled, a full stop instead
of a comma before the milliseconds, hours left out. Speakers follow the
convention of the podcast namespace's transcript spec: a cue starts with
"Name:" when the speaker changes, and later cues are theirs until the next
name. A prefix counts as a name only when it is short (three words at most)
and it opens two cues or another name does too, so a single "Wichtig: bitte
…" stays text. Markup (``<i>``, ``<font>``) is
dropped: a transcript is text.
"""

from __future__ import annotations

import re
from collections import Counter

from flask_babel import lazy_gettext as _l

from mediahub.core.errors import InvalidInput
from mediahub.episodes.vtt import write_vtt

_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[,.](\d{1,3}))?"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_BLOCKS = re.compile(r"\n[ \t]*\n")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|\{\\[^{}]*\}")
# A name: a letter first, then letters, spaces, dots, apostrophes (also U+2019),
# brackets or hyphens; at most 32 characters before the colon.
_SPEAKER = re.compile(r"^([^\W\d][\w .'\u2019()-]{0,31}?):\s+(\S.*)$", re.DOTALL)
_SPEAKER_WORDS = 3


def srt_to_vtt(text: str) -> str:
    """The SubRip transcript ``text`` (newlines normalised) as WebVTT text.

    Raises:
        InvalidInput: a cue without a time, or no cue at all (``field`` is ``file``).
    """
    cues = []
    for number, block in enumerate(_BLOCKS.split(text.strip("\n")), 1):
        lines = [line for line in block.split("\n") if line.strip()]
        if lines and lines[0].strip().isdigit():
            lines = lines[1:]
        if not lines:
            continue
        timing = _TIMING.match(lines[0])
        if timing is None:
            raise InvalidInput(
                _l(
                    'Cue %(n)d has no time such as "00:01:02,000 --> 00:01:05,000". '
                    "Please upload WebVTT (.vtt) or SubRip (.srt).",
                    n=number,
                ),
                field="file",
            )
        words = " ".join(" ".join(_TAG.sub("", line).split()) for line in lines[1:]).strip()
        if words:
            start, end = _seconds(timing.groups()[:4]), _seconds(timing.groups()[4:])
            cues.append((start, max(end, start), words))
    if not cues:
        raise InvalidInput(_l("The transcript file contains no text."), field="file")
    return write_vtt(_with_speakers(cues))


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, fraction = parts
    millis = int((fraction or "0").ljust(3, "0"))
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0) + millis / 1000


def _with_speakers(
    cues: list[tuple[float, float, str]],
) -> list[tuple[float, float, str, str]]:
    prefixes = [_SPEAKER.match(text) for _, _, text in cues]
    counts = Counter(m.group(1) for m in prefixes if m and _is_name(m.group(1)))
    # One "Wichtig:" in a file is text; names recur, or there are several.
    names = set(counts) if len(counts) >= 2 else {n for n, c in counts.items() if c >= 2}
    out, speaker = [], ""
    for (start, end, text), match in zip(cues, prefixes, strict=True):
        if match and match.group(1) in names:
            speaker, text = match.group(1), match.group(2)
        out.append((start, end, speaker, text))
    return out


def _is_name(prefix: str) -> bool:
    return len(prefix.split()) <= _SPEAKER_WORDS
