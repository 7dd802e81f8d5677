"""Numbers and sizes in sentences are written the way each language writes
them — in code, in lazy messages and in templates."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string
from flask_babel import force_locale, gettext, lazy_gettext, ngettext

from mediahub.core.numbers import LocalisedBabel, filesize


@pytest.fixture
def plain_app():
    app = Flask(__name__)
    LocalisedBabel(app)
    with app.test_request_context():
        yield app


@pytest.mark.parametrize(
    ("locale", "expected"), [("de", "höchstens 5.000 Zeichen"), ("en", "höchstens 5,000 Zeichen")]
)
def test_numbers_in_code_follow_the_language(plain_app, locale, expected):
    with force_locale(locale):
        assert gettext("höchstens %(n)d Zeichen", n=5000) == expected
        assert str(lazy_gettext("höchstens %(n)d Zeichen", n=5000)) == expected


def test_plural_counts_and_decimals(plain_app):
    with force_locale("de"):
        assert ngettext("%(num)d group", "%(num)d groups", 1234) == "1.234 groups"
        assert gettext("%(x)s LUFS", x=-16.5) == "-16,5 LUFS"
        assert gettext("100 %% sicher") == "100 %% sicher"  # no variables: as Flask-Babel
        assert gettext("%(flag)s", flag=True) == "True"  # booleans are not numbers


def test_templates_write_numbers_and_sizes_per_language(plain_app):
    source = (
        "{{ _('%(n)d waiting', n=n) }} · {{ ngettext('%(num)d item', '%(num)d items', n) }}"
        " · {{ size | filesize }} · {{ _('50 %%') }}"
    )
    with force_locale("de"):
        assert render_template_string(source, n=12345, size=12_345_678) == (
            "12.345 waiting · 12.345 items · 12,3\u00a0MB · 50 %"
        )
    with force_locale("en"):
        assert render_template_string(source, n=12345, size=12_345_678) == (
            "12,345 waiting · 12,345 items · 12.3\u00a0MB · 50 %"
        )


def test_values_are_still_escaped_in_templates(plain_app):
    out = render_template_string("{{ _('Hello %(name)s', name=name) }}", name="<b>x</b>")
    assert out == "Hello &lt;b&gt;x&lt;/b&gt;"


@pytest.mark.parametrize(
    ("size", "de", "en"),
    [
        (0, "0\u00a0B", "0\u00a0B"),
        (999, "999\u00a0B", "999\u00a0B"),
        (1_500, "1,5\u00a0KB", "1.5\u00a0KB"),
        (2 * 1024**3, "2,1\u00a0GB", "2.1\u00a0GB"),
    ],
)
def test_file_sizes(plain_app, size, de, en):
    with force_locale("de"):
        assert filesize(size) == de
    with force_locale("en"):
        assert filesize(size) == en
