"""Server-drawn SVG charts: self-contained, described, escaped, no style attributes."""

from __future__ import annotations

import pytest
from lxml import etree

from mediahub.stats.charts import Bar, Series, bar_chart, line_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup):
    # Inline SVG in HTML has no namespace declaration; give it one to parse.
    svg = str(markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
    return etree.fromstring(svg.encode(), etree.XMLParser(resolve_entities=False))


def test_a_bar_per_period_with_title_description_and_tooltips():
    bars = [Bar(f"{d}. März", d * 10, f"{d * 10}") for d in range(1, 6)]
    root = _parse(bar_chart(bars, title="Downloads pro Tag", desc="1. bis 5. März"))
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == labelled[0]
    assert root.find(f"{SVG}desc").text == "1. bis 5. März"
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 5
    assert rects[-1].find(f"{SVG}title").text == "5. März: 50"
    heights = [float(r.get("height")) for r in rects]
    assert heights == sorted(heights) and heights[-1] > heights[0] > 0


def test_withheld_figures_are_stubs_not_values():
    root = _parse(
        bar_chart([Bar("a", 40, "40"), Bar("b", None, "fewer than 3")], title="t", desc="d")
    )
    withheld = [r for r in root.findall(f"{SVG}rect") if "withheld" in r.get("class")]
    assert len(withheld) == 1
    assert withheld[0].find(f"{SVG}title").text == "b: fewer than 3"


def test_labels_are_escaped_and_nothing_is_styled_inline_or_loaded():
    evil = '<script>alert(1)</script>" onload="x'
    markup = str(bar_chart([Bar(evil, 1, evil)], title=evil, desc=evil))
    assert "<script>" not in markup and 'onload="x' not in markup
    root = _parse(markup)
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any("href" in name for name in element.attrib)


def test_many_days_get_a_readable_number_of_labels():
    bars = [Bar(str(d), d, str(d)) for d in range(365)]
    root = _parse(bar_chart(bars, title="t", desc="d"))
    assert len(root.findall(f"{SVG}rect")) == 365
    assert len([t for t in root.findall(f"{SVG}text") if t.get("class") == "label"]) <= 8


def test_empty_charts_draw_an_axis():
    root = _parse(bar_chart([], title="t", desc="d"))
    assert root.findall(f"{SVG}rect") == []
    assert root.find(f"{SVG}line") is not None


def test_lines_break_at_withheld_points():
    series = [
        Series("Durchschnitt", "series-a", [(1, 2.0), (2, 4.0), (3, 6.0)]),
        Series("Folge 7", "series-b", [(1, 5.0), (2, None), (3, 9.0)]),
    ]
    root = _parse(line_chart(series, title="t", desc="d", x_labels=[(1, "1"), (3, "3")]))
    lines = [p for p in root.findall(f"{SVG}polyline")]
    assert len(lines) == 3  # one for the average, two pieces for the episode
    assert {t.text for t in root.findall(f"{SVG}text") if t.get("class") == "legend"} == {
        "Durchschnitt",
        "Folge 7",
    }


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(0, 4), (3, 4), (4, 4), (7, 8), (11, 20), (35, 40), (240, 400), (999, 1000), (1001, 2000)],
)
def test_nice_axis_ends(value, ceiling):
    assert nice_ceiling(value) == ceiling
    assert (ceiling / 4).is_integer()  # every tick a whole number


@pytest.mark.parametrize("locale", ["de", "en", "en_IN", "es", "fr", "de_CH"])
def test_counts_are_written_as_babel_writes_them(app, locale):
    from flask_babel import force_locale, format_number

    from mediahub.stats.tables import whole_number

    with app.test_request_context("/"), force_locale(locale):
        for n in (0, 7, 999, 1000, 1234, 12345, 123456, 1234567, 10**12):
            assert whole_number(n) == format_number(n)
