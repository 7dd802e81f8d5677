"""Where things go in each of the three shapes a clip is rendered in.

Pure geometry, no drawing: the cards (:mod:`.cards`) and the ffmpeg graph
(:mod:`.render`) read the same boxes, so the waveform, the titles and the
captions never overlap whatever the shape. Sizes are those the big
platforms ask for: square posts, vertical stories and reels, landscape
videos.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ClipShape(enum.StrEnum):
    """The three shapes every approved clip is rendered in."""

    SQUARE = "square"
    VERTICAL = "vertical"
    LANDSCAPE = "landscape"

    @property
    def size(self) -> tuple[int, int]:
        return _SIZES[self]


_SIZES = {
    ClipShape.SQUARE: (1080, 1080),
    ClipShape.VERTICAL: (1080, 1920),
    ClipShape.LANDSCAPE: (1920, 1080),
}


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in pixels: left, top, width, height (even numbers, for yuv420p)."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h


@dataclass(frozen=True, slots=True)
class Layout:
    """The boxes of one shape.

    Attributes:
        width, height: The frame.
        artwork: The square picture (group or episode artwork).
        titles: Group name (small) above the episode title (large).
        wave: The animated waveform of the passage.
        captions: The band the captions are drawn in (its own layer).
        title_size, group_size, caption_size: Font sizes in pixels.
    """

    width: int
    height: int
    artwork: Box
    titles: Box
    wave: Box
    captions: Box
    title_size: int
    group_size: int
    caption_size: int


def _even(value: float) -> int:
    return int(value) // 2 * 2


def layout(shape: ClipShape) -> Layout:
    """The layout of ``shape``: artwork and titles on top (beside each other
    in landscape), the waveform under them, the captions at the bottom."""
    width, height = shape.size
    margin = _even(width * 0.06) if shape != ClipShape.LANDSCAPE else 96
    if shape == ClipShape.LANDSCAPE:
        art = 520
        artwork = Box(margin, 96, art, art)
        titles = Box(artwork.right + 64, 96, width - artwork.right - 64 - margin, art)
        wave = Box(margin, artwork.bottom + 40, width - 2 * margin, 160)
        captions = Box(0, wave.bottom + 24, width, _even(height - wave.bottom - 24))
        return Layout(width, height, artwork, titles, wave, captions, 64, 40, 52)
    if shape == ClipShape.VERTICAL:
        art = 640
        artwork = Box((width - art) // 2, 200, art, art)
        titles = Box(margin, artwork.bottom + 48, width - 2 * margin, 360)
        wave = Box(margin, titles.bottom + 40, width - 2 * margin, 240)
        captions = Box(0, wave.bottom + 40, width, _even(height - wave.bottom - 160))
        return Layout(width, height, artwork, titles, wave, captions, 68, 42, 60)
    art = 400
    artwork = Box(margin, 72, art, art)
    titles = Box(artwork.right + 48, 72, width - artwork.right - 48 - margin, art)
    wave = Box(margin, artwork.bottom + 40, width - 2 * margin, 180)
    captions = Box(0, wave.bottom + 24, width, _even(height - wave.bottom - 24))
    return Layout(width, height, artwork, titles, wave, captions, 56, 36, 52)
