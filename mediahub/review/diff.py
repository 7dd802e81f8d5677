"""What changed in an item since its last review, line by line and word by word.

Pure functions over texts (difflib), for the review page's partial
``review/_diff.html``: the page marks removed and added text with ``<del>``
and ``<ins>``, a sign and words for screen readers, never by colour alone.

Work is bounded whatever an author submits: very long texts are compared
line by line only, a line is compared word by word only when it is of
reasonable length, and at most :data:`MAX_SHOWN` lines of changes are shown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

#: Unchanged lines shown before and after a change.
CONTEXT = 2
#: Changed and context lines shown per field; the rest is counted.
MAX_SHOWN = 400
#: Lines longer than this are shown as removed and added, not word by word.
_WORDS_MAX_CHARS = 2000
#: Two lines this similar (0..1) are shown as one changed line.
_SIMILAR = 0.5
#: Beyond this many lines a side, pairs of lines are not compared for similarity.
_PAIRING_MAX_LINES = 200
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Piece:
    """A run of text that is the same, removed or added."""

    kind: str  # "same" | "removed" | "added"
    text: str


@dataclass(frozen=True)
class Line:
    """One line of the comparison.

    ``kind`` is ``same``, ``removed``, ``added``, ``changed`` (pieces say
    which words) or ``skipped`` (``count`` unchanged lines not shown).
    """

    kind: str
    pieces: tuple[Piece, ...] = ()
    count: int = 0

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


@dataclass(frozen=True)
class FieldDiff:
    """The comparison of one field (title, text, chapters, transcript)."""

    key: str
    label: str
    lines: tuple[Line, ...] = field(default=())
    hidden: int = 0  # lines of changes beyond MAX_SHOWN

    @property
    def changed(self) -> bool:
        return any(line.kind not in {"same", "skipped"} for line in self.lines)


def compare(
    old: Mapping[str, str], new: Mapping[str, str], labels: Iterable[tuple[str, str]]
) -> list[FieldDiff]:
    """Compare two snapshots field by field, in the order of ``labels``.

    Args:
        old: What was reviewed last (field -> text; a missing field is empty).
        new: What is submitted now.
        labels: ``(field, label)`` pairs naming the fields to compare.

    Returns:
        One :class:`FieldDiff` per field; ``changed`` says whether it changed.
    """
    out = []
    for key, label in labels:
        before, after = old.get(key) or "", new.get(key) or ""
        if before == after:
            out.append(FieldDiff(key, label))
            continue
        lines, hidden = _limited(diff_lines(before.splitlines(), after.splitlines()))
        out.append(FieldDiff(key, label, tuple(lines), hidden))
    return out


def diff_lines(old: Sequence[str], new: Sequence[str], context: int = CONTEXT) -> list[Line]:
    """The lines of ``new`` against ``old``, unchanged runs folded to ``context`` lines."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=len(old) + len(new) > 4000)
    out: list[Line] = []
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            out += _folded(old[i1:i2], context, first=index == 0, last=index == len(opcodes) - 1)
        elif tag == "delete":
            out += [Line("removed", (Piece("removed", text),)) for text in old[i1:i2]]
        elif tag == "insert":
            out += [Line("added", (Piece("added", text),)) for text in new[j1:j2]]
        else:
            out += _replaced(old[i1:i2], new[j1:j2])
    return out


def diff_words(old: str, new: str) -> tuple[Piece, ...]:
    """One changed line as runs of same, removed and added words."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _append(pieces, "same", "".join(a[i1:i2]))
            continue
        if tag in {"delete", "replace"}:
            _append(pieces, "removed", "".join(a[i1:i2]))
        if tag in {"insert", "replace"}:
            _append(pieces, "added", "".join(b[j1:j2]))
    return tuple(pieces)


def _append(pieces: list[Piece], kind: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))


def _folded(same: Sequence[str], context: int, *, first: bool, last: bool) -> list[Line]:
    """Unchanged lines: the ones next to a change, and how many are left out."""
    head = 0 if first else context
    tail = 0 if last else context
    if len(same) <= head + tail + 1:
        return [Line("same", (Piece("same", text),)) for text in same]
    out = [Line("same", (Piece("same", text),)) for text in same[:head]]
    out.append(Line("skipped", count=len(same) - head - tail))
    out += [Line("same", (Piece("same", text),)) for text in same[len(same) - tail :]]
    return out


def _replaced(old: Sequence[str], new: Sequence[str]) -> list[Line]:
    """A block of lines replaced by another: similar pairs word by word, the rest whole."""
    if len(old) > _PAIRING_MAX_LINES or len(new) > _PAIRING_MAX_LINES:
        return [Line("removed", (Piece("removed", t),)) for t in old] + [
            Line("added", (Piece("added", t),)) for t in new
        ]
    out: list[Line] = []
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        if before is not None and after is not None and _similar(before, after):
            out.append(Line("changed", diff_words(before, after)))
            continue
        if before is not None:
            out.append(Line("removed", (Piece("removed", before),)))
        if after is not None:
            out.append(Line("added", (Piece("added", after),)))
    return out


def _similar(before: str, after: str) -> bool:
    if max(len(before), len(after)) > _WORDS_MAX_CHARS:
        return False
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return matcher.quick_ratio() >= _SIMILAR and matcher.ratio() >= _SIMILAR


def _limited(lines: list[Line]) -> tuple[list[Line], int]:
    """At most MAX_SHOWN lines; the number of changed lines left out."""
    if len(lines) <= MAX_SHOWN:
        return lines, 0
    rest = lines[MAX_SHOWN:]
    return lines[:MAX_SHOWN], sum(1 for line in rest if line.kind not in {"same", "skipped"})
