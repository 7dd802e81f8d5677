"""The still pictures a clip video is made of, drawn with Pillow.

ffmpeg only moves the waveform and switches pictures in and out; every
letter is set here, with the same fonts and the same shaping as generated
covers (:mod:`mediahub.media.lettering`: fonts from packages, HarfBuzz
shaping, right-to-left lines), so a group name in Arabic or a caption in
Ukrainian looks the same on every machine — whether or not the ffmpeg at
hand was built with libfreetype or libass.

- ``background``: the artwork, the group's name and the episode title on a
  calm colour taken from the artwork (dark enough for white text);
- ``caption``: one caption (at most three lines) on a dark band, transparent
  around it, drawn over the lower part of the frame;
- ``note_card``: the content note, a full frame shown first.
"""

from __future__ import annotations

import colorsys
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps, ImageStat

from mediahub.clips.layout import Box, Layout
from mediahub.media import lettering

WHITE = (255, 255, 255)
SOFT_WHITE = (226, 232, 240)
_ELLIPSIS = "…"


def background_colour(artwork: Image.Image) -> tuple[int, int, int]:
    """The artwork's average hue, dark and muted: white text on it keeps a
    contrast ratio far above 4.5:1."""
    r, g, b = (v / 255 for v in ImageStat.Stat(artwork.convert("RGB").resize((32, 32))).mean)
    hue, _light, sat = colorsys.rgb_to_hls(r, g, b)
    r, g, b = colorsys.hls_to_rgb(hue, 0.16, min(sat, 0.45))
    return round(r * 255), round(g * 255), round(b * 255)


@dataclass(frozen=True, slots=True)
class _Block:
    """Wrapped lines of one text at one size."""

    setter: lettering.Setter
    lines: list[list[str]]
    base_rtl: bool

    @property
    def line_height(self) -> int:
        # Arabic letters reach further above and below than Latin ones.
        return round(self.setter.size * 1.4)

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)


def _fit(text: str, width: int, sizes: Sequence[int], max_lines: int) -> _Block:
    """``text`` wrapped at the largest of ``sizes`` that needs at most
    ``max_lines`` lines; at the smallest, cut after ``max_lines`` with "…"."""
    engine = lettering.default_engine()
    for size in sizes:
        setter = lettering.Setter(size, engine)
        lines = setter.wrap(text, width)
        if len(lines) <= max_lines:
            break
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = [*lines[-1], _ELLIPSIS]
        while len(last) > 2 and setter.line_length(last) > width:
            last = [*last[:-2], _ELLIPSIS]
        lines[-1] = last
    return _Block(setter, lines, lettering.is_rtl_text(text))


def _draw_block(
    draw: ImageDraw.ImageDraw, block: _Block, box: Box, top: int, *, centred: bool, fill
) -> int:
    """Draw ``block`` from ``top`` inside ``box``; return the y below it."""
    engine = block.setter.engine
    ascent, descent = lettering.font(lettering.FAMILIES[0], block.setter.size, engine).getmetrics()
    for n, words in enumerate(block.lines):
        length = block.setter.line_length(words)
        if centred:
            left = box.x + (box.w - length) / 2
        elif block.base_rtl:
            left = box.right - length
        else:
            left = box.x
        middle = top + n * block.line_height + block.line_height / 2
        baseline = middle + (ascent - descent) / 2
        block.setter.draw_line(draw, words, left, baseline, base_rtl=block.base_rtl, fill=fill)
    return top + block.height


def background(
    layout: Layout, artwork: Image.Image, group_name: str, episode_title: str
) -> Image.Image:
    """The frame under everything that moves: artwork, group name, title."""
    frame = Image.new("RGB", (layout.width, layout.height), background_colour(artwork))
    box = layout.artwork
    picture = ImageOps.fit(artwork.convert("RGB"), (box.w, box.h), Image.Resampling.LANCZOS)
    frame.paste(picture, (box.x, box.y))
    draw = ImageDraw.Draw(frame)
    titles = layout.titles
    centred = titles.y > box.bottom  # under the artwork (vertical), not beside it
    group = _fit(group_name, titles.w, [layout.group_size, layout.group_size * 3 // 4], 2)
    title = _fit(
        episode_title,
        titles.w,
        [layout.title_size, layout.title_size * 5 // 6, layout.title_size * 2 // 3],
        4 if not centred else 3,
    )
    gap = layout.group_size // 2
    height = group.height + gap + title.height
    top = titles.y + max(0, (titles.h - height) // 2) if not centred else titles.y
    y = _draw_block(draw, group, titles, top, centred=centred, fill=SOFT_WHITE)
    _draw_block(draw, title, titles, y + gap, centred=centred, fill=WHITE)
    return frame


def caption(layout: Layout, text: str) -> Image.Image:
    """One caption on a dark band, as an RGBA picture of the caption box."""
    box = layout.captions
    band = Image.new("RGBA", (box.w, box.h), (0, 0, 0, 0))
    if not text.strip():
        return band
    pad = layout.caption_size // 2
    inner = Box(pad * 3, 0, box.w - pad * 6, box.h)
    size = layout.caption_size
    block = _fit(text, inner.w - 2 * pad, [size, size * 5 // 6, size * 2 // 3], 3)
    widest = max(block.setter.line_length(words) for words in block.lines)
    plate_w = min(inner.w, round(widest) + 2 * pad)
    plate_h = block.height + pad
    left = (box.w - plate_w) // 2
    top = max(0, (box.h - plate_h) // 2)
    draw = ImageDraw.Draw(band)
    draw.rounded_rectangle(
        (left, top, left + plate_w, top + plate_h), radius=pad, fill=(0, 0, 0, 200)
    )
    _draw_block(draw, block, Box(0, 0, box.w, box.h), top + pad // 2, centred=True, fill=WHITE)
    return band


def note_card(layout: Layout, heading: str, note: str, colour: tuple[int, int, int]) -> Image.Image:
    """The content note as a full frame: a heading and the note, centred."""
    frame = Image.new("RGB", (layout.width, layout.height), colour)
    draw = ImageDraw.Draw(frame)
    margin = layout.width // 10
    area = Box(margin, margin, layout.width - 2 * margin, layout.height - 2 * margin)
    head = _fit(heading, area.w, [layout.title_size], 2)
    body = _fit(note, area.w, [layout.caption_size, layout.caption_size * 3 // 4], 8)
    gap = layout.caption_size
    top = area.y + max(0, (area.h - head.height - gap - body.height) // 2)
    y = _draw_block(draw, head, area, top, centred=True, fill=WHITE)
    _draw_block(draw, body, area, y + gap, centred=True, fill=SOFT_WHITE)
    return frame
