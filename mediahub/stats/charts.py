"""Charts drawn on the server as SVG: nothing is loaded from anywhere.

Each chart is an ``<svg role="img">`` with a title and a description; the
figures themselves are in the data table the page puts beside it (screen
readers and keyboards use that). Colours and lines come from classes in
``static/css/stats.css`` (the CSP allows no style attributes). Labels arrive
formatted for the reader's language; this module only places them.

A withheld figure (fewer than 3 listeners) is drawn as an outlined stub
reaching the line of 3, never as its value.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 14, 40
#: At most this many labels under the x axis (every n-th bar is labelled).
MAX_X_LABELS = 8
_ids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # shown under the axis and in the bar's tooltip
    value: int | None  # None: withheld
    text: str  # the value as the reader reads it ("1.234", "fewer than 3")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    css: str  # class of the line: "series-a", "series-b"
    points: Sequence[tuple[int, float | None]]  # (x, y); None: withheld or unknown


def nice_ceiling(value: float) -> float:
    """The top of the axis: four equal steps of 1, 2, 2.5 or 5 times a power of
    ten (whole numbers at every tick), at least ``value`` and at least 3."""
    quarter = max(value, 3.0) / 4
    magnitude = 10 ** math.floor(math.log10(quarter))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= quarter and float(step * magnitude).is_integer():
            return 4 * step * magnitude
    return 40 * magnitude  # pragma: no cover - the loop always returns


def _ticks(top: float) -> list[float]:
    return [top * i / 4 for i in range(5)]


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _frame(title: str, desc: str, tick_text: Sequence[str], top: float) -> list[str]:
    """The opening tag, title, description and the horizontal grid."""
    n = next(_ids)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-{n}-t chart-{n}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="chart-{n}-t">{escape(title)}</title>',
        f'<desc id="chart-{n}-d">{escape(desc)}</desc>',
    ]
    plot_h = HEIGHT - TOP - BOTTOM
    for tick, text in zip(_ticks(top), tick_text, strict=True):
        y = TOP + plot_h - plot_h * tick / top
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(text)}</text>"
        )
    return parts


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    format_tick: Callable[[float], str] = _number,
) -> Markup:
    """Vertical bars, one per period (day, week, month)."""
    top = nice_ceiling(max((b.value or 0 for b in bars), default=0))
    ticks = [format_tick(t) for t in _ticks(top)]
    parts = _frame(title, desc, ticks, top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(bars), 1)
    width = max(slot * 0.8, 1.0)
    every = max(1, math.ceil(len(bars) / MAX_X_LABELS))
    for i, bar in enumerate(bars):
        x = LEFT + i * slot + (slot - width) / 2
        shown = 3 if bar.value is None else bar.value
        h = plot_h * shown / top
        css = "bar withheld" if bar.value is None else "bar"
        parts.append(
            f'<rect class="{css}" x="{x:.1f}" y="{TOP + plot_h - h:.1f}" '
            f'width="{width:.1f}" height="{h:.1f}">'
            f"<title>{escape(bar.label)}: {escape(bar.text)}</title></rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text class="label" x="{x + width / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle">{escape(bar.label)}</text>'
            )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    x_labels: Sequence[tuple[int, str]],
    format_tick: Callable[[float], str] = _number,
) -> Markup:
    """Lines over a common x range (days since publication), with a legend."""
    xs = [x for s in series for x, _ in s.points]
    low, high = (min(xs), max(xs)) if xs else (0, 1)
    span = max(high - low, 1)
    top = nice_ceiling(max((y or 0 for s in series for _, y in s.points), default=0))
    ticks = [format_tick(t) for t in _ticks(top)]
    parts = _frame(title, desc, ticks, top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def place(x: int, y: float) -> str:
        return f"{LEFT + plot_w * (x - low) / span:.1f},{TOP + plot_h - plot_h * y / top:.1f}"

    for s in series:
        # A withheld point breaks the line instead of being drawn.
        for shown, run in itertools.groupby(s.points, key=lambda p: p[1] is not None):
            points = [place(x, y) for x, y in run if y is not None]
            if shown and points:
                parts.append(
                    f'<polyline class="line {escape(s.css)}" points="{" ".join(points)}"/>'
                )
    for x, text in x_labels:
        px = LEFT + plot_w * (x - low) / span
        parts.append(
            f'<text class="label" x="{px:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(text)}</text>'
        )
    for i, s in enumerate(series):
        y = HEIGHT - 8
        x = LEFT + i * 220
        parts.append(
            f'<line class="line {escape(s.css)}" x1="{x}" x2="{x + 24}" y1="{y - 4}" y2="{y - 4}"/>'
            f'<text class="legend" x="{x + 30}" y="{y}">{escape(s.name)}</text>'
        )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
