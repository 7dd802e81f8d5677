"""Names set in type for generated artwork, in every script people name groups in.

The fonts come from Python packages, never from the system, so every machine
draws the same picture: Noto Sans (``fontpkg-noto-sans``: Latin with all its
accents, Greek, Cyrillic) and Noto Sans Arabic (``fontpkg-noto-sans-arabic``),
both under the SIL Open Font License. Each character is drawn with the first
face that has a glyph for it (digits, spaces and punctuation stay with their
neighbours); a character neither face has (an emoji, a Chinese name) is left
out rather than drawn as an empty box.

Arabic needs shaping (letters join, lam and alef make one sign) and runs right
to left. Pillow's wheels carry libraqm with HarfBuzz and load FriBiDi from the
system (Debian's ``libfribidi0``); with it (``PIL.features.check("raqm")``)
HarfBuzz shapes each run. Without it Pillow has only its basic layout, which
neither joins nor reorders: then ``arabic-reshaper`` turns the letters into
their joined forms (Unicode presentation forms, which the Arabic face carries)
and ``python-bidi`` puts them in display order. That fallback cannot place
vowel marks (harakat) above or below their letters, so it leaves them out —
Arabic is usually written without them and stays readable — the honest limit
of drawing Arabic without a shaping engine.

Mixed names ("Trauercafé مقهى") are ordered word by word: runs against the
name's direction (that of its first letter) are reversed in place, as the
Unicode bidirectional algorithm does for such simple text.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import arabic_reshaper
import fontpkg
from bidi import get_display
from fontTools.ttLib import TTFont
from PIL import ImageDraw, ImageFont, features

#: Faces in order of preference: a character is drawn with the first that has it.
FAMILIES = ("Noto Sans", "Noto Sans Arabic")
#: SemiBold: calm, and readable on a small thumbnail.
WEIGHT = 600

_RTL_CLASSES = {"R", "AL"}
_T = TypeVar("_T")


@functools.cache
def face_path(family: str) -> Path:
    """The font file of ``family`` as its package installed it."""
    return Path(fontpkg.path(family))


@functools.cache
def coverage(family: str) -> frozenset[int]:
    """The code points ``family`` has glyphs for (its character map)."""
    with TTFont(face_path(family), lazy=True) as font:
        return frozenset(font.getBestCmap())


def shaping_available() -> bool:
    """Whether Pillow can shape text (libraqm with FriBiDi and HarfBuzz)."""
    return bool(features.check("raqm"))


def default_engine() -> ImageFont.Layout:
    return ImageFont.Layout.RAQM if shaping_available() else ImageFont.Layout.BASIC


@functools.lru_cache(maxsize=64)
def font(family: str, size: int, engine: ImageFont.Layout) -> ImageFont.FreeTypeFont:
    """``family`` at ``size`` pixels, SemiBold, with the given layout engine."""
    face = ImageFont.truetype(str(face_path(family)), size, layout_engine=engine)
    axes = face.get_variation_axes()
    face.set_variation_by_axes(
        [float(WEIGHT if axis["name"] == b"Weight" else axis["default"] or 0) for axis in axes]
    )
    return face


@dataclass(frozen=True, slots=True)
class Run:
    """Characters drawn with one face, in logical (reading) order."""

    family: str
    text: str

    @property
    def is_rtl(self) -> bool:
        return any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in self.text)

    def drawn_text(self, engine: ImageFont.Layout) -> str:
        """What is handed to Pillow: the text itself for a shaping engine;
        joined forms in display order for the basic layout."""
        if engine == ImageFont.Layout.RAQM or not self.is_rtl:
            return self.text
        return get_display(arabic_reshaper.reshape(self.text), base_dir="R")


def _is_shared(char: str) -> bool:
    """Digits, spaces, punctuation and marks: they take their neighbours' face."""
    return not unicodedata.category(char).startswith("L")


def _face_of(char: str) -> str | None:
    for family in FAMILIES:
        if ord(char) in coverage(family):
            return family
    return None


def runs(word: str) -> list[Run]:
    """``word`` split into runs of one face each; characters no face has are
    left out."""
    chars: list[tuple[str, str]] = []
    for char in word:
        family = _face_of(char)
        if family is not None:
            chars.append((char, family))
    # A shared character joins the run before it (or after it, at the start)
    # when that face has it too: fewer runs, and digits keep their script's look.
    families = [f for _, f in chars]
    for i, (char, _) in enumerate(chars):
        if not _is_shared(char):
            continue
        neighbours = families[i - 1 : i] + [f for c, f in chars[i + 1 :] if not _is_shared(c)][:1]
        for family in neighbours:
            if ord(char) in coverage(family):
                families[i] = family
                break
    out: list[Run] = []
    for (char, _), family in zip(chars, families, strict=True):
        if out and out[-1].family == family:
            out[-1] = Run(family, out[-1].text + char)
        else:
            out.append(Run(family, char))
    return out


def direction(text: str) -> bool | None:
    """True if ``text`` reads right to left (its first strong letter does),
    False if left to right, None if it has no letter (digits, signs)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            return True
        if kind == "L":
            return False
    return None


def is_rtl_text(text: str) -> bool:
    """Whether ``text`` reads right to left: its first strong letter does."""
    return bool(direction(text))


def word_directions(words: Sequence[str], base_rtl: bool) -> list[bool]:
    """Each word's direction; a word without letters ("2024", "&") goes with
    the word before it (or after it), as numbers after Arabic words do."""
    found = [direction(w) for w in words]
    out: list[bool] = []
    for n, value in enumerate(found):
        if value is None:
            after = [v for v in found[n + 1 :] if v is not None][:1]
            value = out[-1] if out else (after[0] if after else base_rtl)
        out.append(value)
    return out


def visual_order(items: Sequence[_T], rtl: Sequence[bool], base_rtl: bool) -> list[_T]:
    """Left-to-right drawing order: stretches against the base direction are
    reversed, then the whole line if it reads right to left."""
    out: list[_T] = []
    stretch: list[_T] = []
    for item, is_rtl in zip(items, rtl, strict=True):
        if is_rtl != base_rtl:
            stretch.append(item)
            continue
        out.extend(reversed(stretch))
        stretch = []
        out.append(item)
    out.extend(reversed(stretch))
    return out[::-1] if base_rtl else out


@dataclass(frozen=True, slots=True)
class Setter:
    """Sets text at one size with one layout engine."""

    size: int
    engine: ImageFont.Layout

    def face(self, run: Run) -> ImageFont.FreeTypeFont:
        return font(run.family, self.size, self.engine)

    def _run_length(self, run: Run) -> float:
        return self.face(run).getlength(run.drawn_text(self.engine), direction=self._dir(run))

    def _dir(self, run: Run) -> str | None:
        # Only a shaping engine takes a direction; the basic layout gets display order.
        if self.engine != ImageFont.Layout.RAQM:
            return None
        return "rtl" if run.is_rtl else "ltr"

    def word_length(self, word: str) -> float:
        return sum(self._run_length(r) for r in runs(word))

    @property
    def space(self) -> float:
        return font(FAMILIES[0], self.size, self.engine).getlength(" ")

    def line_length(self, words: Sequence[str]) -> float:
        lengths = [self.word_length(w) for w in words]
        return sum(lengths) + self.space * max(0, len(lengths) - 1)

    def wrap(self, text: str, width: float) -> list[list[str]]:
        """Words per line so that no line is wider than ``width``; a word
        longer than a line is cut."""
        lines: list[list[str]] = []
        line: list[str] = []
        for word in text.split():
            if not runs(word):  # nothing a face can draw (an emoji)
                continue
            while self.word_length(word) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and self.word_length(word[:cut]) > width:
                    cut -= 1
                if line:
                    lines.append(line)
                    line = []
                lines.append([word[:cut]])
                word = word[cut:]
            if line and self.line_length([*line, word]) > width:
                lines.append(line)
                line = []
            line.append(word)
        if line:
            lines.append(line)
        return lines

    def placed_runs(self, words: Sequence[str], base_rtl: bool) -> Iterator[tuple[float, Run]]:
        """(x offset from the line's left edge, run) for one line, left to right."""
        ordered = visual_order(words, word_directions(words, base_rtl), base_rtl)
        x = 0.0
        for n, word in enumerate(ordered):
            if n:
                x += self.space
            word_runs = runs(word)
            for run in visual_order(word_runs, [r.is_rtl for r in word_runs], is_rtl_text(word)):
                yield x, run
                x += self._run_length(run)

    def draw_line(
        self,
        draw: ImageDraw.ImageDraw,
        words: Sequence[str],
        left: float,
        baseline: float,
        *,
        base_rtl: bool,
        fill: tuple[int, int, int],
    ) -> None:
        for x, run in self.placed_runs(words, base_rtl):
            draw.text(
                (left + x, baseline),
                run.drawn_text(self.engine),
                font=self.face(run),
                fill=fill,
                anchor="ls",
                direction=self._dir(run),
            )


def set_centred(
    draw: ImageDraw.ImageDraw,
    text: str,
    *,
    side: int,
    margin: int,
    sizes: Sequence[int],
    max_lines: int,
    fill: tuple[int, int, int],
    engine: ImageFont.Layout | None = None,
) -> list[list[str]]:
    """Draw ``text`` wrapped and centred on a ``side`` x ``side`` picture, at
    the largest of ``sizes`` that needs at most ``max_lines`` lines.

    Returns:
        The words of each line drawn (in reading order).
    """
    engine = default_engine() if engine is None else engine
    width = side - 2 * margin
    for size in sizes:
        setter = Setter(size, engine)
        lines = setter.wrap(text, width)
        if len(lines) <= max_lines:
            break
    lines = lines[:max_lines]
    base_rtl = is_rtl_text(text)
    # Arabic letters reach further above and below than Latin ones.
    line_height = round(size * 1.45)
    ascent, descent = font(FAMILIES[0], size, engine).getmetrics()
    top = (side - line_height * len(lines)) / 2
    for n, words in enumerate(lines):
        centre = top + n * line_height + line_height / 2
        baseline = centre + (ascent - descent) / 2
        left = (side - setter.line_length(words)) / 2
        setter.draw_line(draw, words, left, baseline, base_rtl=base_rtl, fill=fill)
    return lines
