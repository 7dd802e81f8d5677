"""A report as the tables people read: on the page (localised numbers and
dates, a chart beside each table) and as CSV files (plain numbers, ISO
dates). One :class:`Table` feeds both, so the page and its export can never
disagree — withheld figures included.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_skeleton
from babel.numbers import format_decimal, get_group_symbol
from flask_babel import format_date, format_number, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from mediahub.core import outbound
from mediahub.stats.charts import Bar, Series, bar_chart, line_chart
from mediahub.stats.protection import Figure
from mediahub.stats.queries import LAUNCH_DAYS, Report
from mediahub.stats.tally import BROWSER

DEVICES = {
    "mobile": _l("Phone or tablet"),
    "computer": _l("Computer"),
    "smart_speaker": _l("Smart speaker"),
    "smart_tv": _l("TV"),
    "watch": _l("Watch"),
    "auto": _l("Car"),
}
PERIODS = ("day", "week", "month")
#: A figure that does not exist yet (an episode younger than the days asked).
NOT_YET = "\u2013"
_DASH = " \u2013 "


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # as the page shows it
    data: str | int  # as the CSV file has it
    is_number: bool = False
    is_withheld: bool = False


@dataclass
class Table:
    name: str  # also the CSV file's name
    caption: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: Markup | None = None

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([outbound.csv_cell(h) for h in self.headers])
        for row in self.rows:
            writer.writerow(
                [c.data if isinstance(c.data, int) else outbound.csv_cell(c.data) for c in row]
            )
        return out.getvalue()


def whole_number(n: int) -> str:
    """``format_number`` for counts, at a fraction of Babel's cost per call (a
    year's page shows thousands): Python's own grouping with the locale's
    separator, wherever that gives what Babel gives."""
    separator = _group_separator(str(get_locale()))
    if separator is None:
        return format_number(n)
    return f"{n:,}".replace(",", separator)


@functools.lru_cache(maxsize=64)
def _group_separator(locale: str) -> str | None:
    """The locale's group separator, or None where its grouping is not plain
    thousands (Indian lakhs, Spanish 4-digit numbers without one…)."""
    separator = get_group_symbol(locale=locale)
    for probe in (7, 1234, 12345, 123456, 1234567, 1234567890):
        if format_decimal(probe, locale=locale) != f"{probe:,}".replace(",", separator):
            return None
    return separator


def withheld_text() -> str:
    return _("fewer than 3")


def number_cell(fig: Figure[Any] | None) -> Cell:
    """A figure's cell: the number, or "fewer than 3" in page and file alike."""
    if fig is None:
        return Cell(NOT_YET, "", is_number=True)
    if fig.is_withheld:
        return Cell(withheld_text(), withheld_text(), is_number=True, is_withheld=True)
    return Cell(whole_number(fig.downloads), fig.downloads, is_number=True)


def text_cell(text: str, data: str | None = None) -> Cell:
    return Cell(text, data if data is not None else text)


def app_label(value: str) -> str:
    if value == BROWSER:
        return _("Web browser")
    return value or _("Other or unknown app")


def device_label(value: str) -> str:
    return str(DEVICES.get(value, _("Unknown device")))


def country_label(value: str) -> str:
    if not value:
        return _("Unknown country")
    return str(get_locale().territories.get(value, value))


def period_label(day: dt.date, period: str) -> str:
    locale = get_locale()
    if period == "month":
        return format_skeleton("yMMM", day, locale=locale)
    if period == "week":
        return _("Week from %(day)s", day=format_skeleton("MMMd", day, locale=locale))
    return format_date(day, "medium")


def _bars(figures: Sequence[Figure[dt.date]], period: str) -> list[Bar]:
    locale = get_locale()
    short = "yMMM" if period == "month" else "MMMd"
    return [
        Bar(
            format_skeleton(short, f.key, locale=locale),
            f.shown,
            withheld_text() if f.is_withheld else whole_number(f.downloads),
        )
        for f in figures
    ]


def downloads_table(report: Report, period: str) -> Table:
    """Downloads per day, week or month, with its chart."""
    figures = {"day": report.by_day, "week": report.by_week, "month": report.by_month}[period]
    captions = {
        "day": _("Downloads per day"),
        "week": _("Downloads per week"),
        "month": _("Downloads per month"),
    }
    table = Table(f"downloads-{period}", captions[period], [_("Period"), _("Downloads")])
    for f in figures:
        table.rows.append(
            [text_cell(period_label(f.key, period), f.key.isoformat()), number_cell(f)]
        )
    span = (
        format_date(report.period.start, "medium")
        + _DASH
        + format_date(report.period.end, "medium")
    )
    table.chart = bar_chart(
        _bars(figures, period), title=captions[period], desc=span, format_tick=_tick
    )
    return table


def _tick(value: float) -> str:
    return whole_number(int(value))


def breakdown_table(
    name: str,
    caption: str,
    header: str,
    figures: Sequence[Figure[str]],
    label: Callable[[str], str],
) -> Table:
    table = Table(name, caption, [header, _("Downloads")])
    for f in figures:
        table.rows.append([text_cell(label(f.key), f.key or ""), number_cell(f)])
    return table


def breakdowns(report: Report) -> list[Table]:
    """Apps, devices and countries (the last one only when there are any)."""
    tables = [
        breakdown_table("apps", _("Apps"), _("App"), report.by_app, app_label),
        breakdown_table("devices", _("Devices"), _("Device"), report.by_device, device_label),
    ]
    if any(f.key for f in report.by_country):
        tables.append(
            breakdown_table(
                "countries", _("Countries"), _("Country"), report.by_country, country_label
            )
        )
    return tables


def episodes_table(report: Report) -> Table:
    table = Table("episodes", _("Downloads per episode"), [_("Episode"), _("Downloads")])
    for f in report.by_episode:
        table.rows.append([text_cell(outbound.line(f.key.title)), number_cell(f)])
    return table


def groups_table(report: Report) -> Table:
    table = Table("groups", _("Groups by downloads"), [_("Rank"), _("Group"), _("Downloads")])
    for rank, f in enumerate(report.by_group, start=1):
        table.rows.append(
            [
                Cell(whole_number(rank), rank, True),
                text_cell(outbound.line(f.key.name)),
                number_cell(f),
            ]
        )
    return table


def subscribers_table(report: Report) -> Table:
    table = Table(
        "subscribers",
        _("Estimated subscribers of the podcast feed"),
        [
            _("Day"),
            _("Estimated subscribers"),
            _("Apps fetching the feed"),
            _("Announced by feed services"),
        ],
    )
    for s in report.subscribers:
        shown = not s.estimate.is_withheld
        table.rows.append(
            [
                text_cell(format_date(s.day, "medium"), s.day.isoformat()),
                number_cell(s.estimate),
                Cell(whole_number(s.listeners), s.listeners, True)
                if shown
                else number_cell(s.estimate),
                Cell(whole_number(s.announced), s.announced, True)
                if shown
                else number_cell(s.estimate),
            ]
        )
    return table


def launch_table(report: Report) -> Table:
    headers = [_("Episode")] + [_("First %(n)d days", n=n) for n in LAUNCH_DAYS]
    table = Table("first-days", _("Downloads in an episode's first days"), headers)
    for row in report.launch:
        name = (
            outbound.line(row.episode.title)
            if row.episode
            else _("Average of the group's episodes")
        )
        table.rows.append([text_cell(name)] + [number_cell(row.first[n]) for n in LAUNCH_DAYS])
    if report.curve:
        series = [
            Series(_("Average episode"), "series-a", [(x, f.shown) for x, f in report.curve]),
        ]
        table.chart = line_chart(
            series,
            title=_("Average downloads of an episode by days since publication"),
            desc=_("Added up from the day of publication, for the group's episodes."),
            x_labels=[(x, whole_number(x)) for x in (1, 7, 30, 60, 90) if x <= report.curve[-1][0]],
            format_tick=_tick,
        )
    return table


def totals(report: Report) -> list[tuple[str, Cell]]:
    """The period's headline figures: downloads, and the latest subscriber estimate."""
    result = [(_("Downloads"), number_cell(report.total))]
    if report.subscribers:
        latest = report.subscribers[-1].estimate
        result.append((_("Estimated subscribers (last day)"), number_cell(latest)))
    return result
