"""Generated covers draw every name: each glyph the picture asks for is in the
character map of the font file it is drawn with (checked with fontTools, not
by looking at pixels), and no letter of the name is left out."""

from __future__ import annotations

import functools
import io
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

from mediahub.media import lettering
from mediahub.media.covers import render_cover

# Names people write, with their real letters and dashes.
NAMES = {
    "German": "Selbsthilfegruppe Trauer & Größe – Straße der Mütter, Übermut",  # noqa: RUF001
    "Turkish": "Yas Destek Grubu İstanbul – çığlık, şişe, öğüt, ılık",  # noqa: RUF001
    "Polish": "Grupa wsparcia Łódź – żółć, gęślą jaźń, źdźbło",  # noqa: RUF001
    "Russian": "Группа поддержки «Ёжик» – съешь ещё этих мягких булок",  # noqa: RUF001
    "Ukrainian": "Група підтримки Їжачок – ґанок, єдність, Київ",  # noqa: RUF001
    "Arabic": "مجموعة الدعم النفسي للأمهات",
    "Arabic with marks": "مَجْمُوعَةُ الدَّعْمِ",
    "Arabic and German": "Trauercafé مقهى الحزن 2024",
}

ENGINES = [
    pytest.param(ImageFont.Layout.RAQM, id="shaping"),
    pytest.param(ImageFont.Layout.BASIC, id="basic-layout"),
]


@functools.cache
def _cmap(path: str) -> frozenset[int]:
    with TTFont(path) as font:
        return frozenset(font.getBestCmap())


@pytest.fixture
def drawn(monkeypatch):
    """Each piece of text a picture asks ``ImageDraw.text`` to draw, with the
    font file it is drawn with."""
    calls: list[tuple[str, str]] = []
    real = ImageDraw.ImageDraw.text

    def text(draw, xy, text, fill=None, font=None, *args, **kwargs):
        calls.append((font.path, text))
        return real(draw, xy, text, fill, font, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)
    return calls


def _letters(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] in "LMN")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("language", list(NAMES))
def test_every_glyph_of_a_name_is_in_the_font_it_is_drawn_with(
    language, engine, drawn, monkeypatch
):
    if engine == ImageFont.Layout.RAQM and not lettering.shaping_available():
        pytest.skip("Pillow has no text shaping here (libraqm or FriBiDi missing)")
    monkeypatch.setattr(lettering, "default_engine", lambda: engine)
    name = NAMES[language]

    picture = Image.open(io.BytesIO(render_cover(name, "gruppe")))

    assert picture.size == (1400, 1400)
    assert drawn, "nothing was drawn"
    for path, text in drawn:
        missing = {c for c in text if ord(c) not in _cmap(path)}
        assert not missing, f"{path} has no glyph for {sorted(missing)} in {text!r}"
    # Nothing was dropped: the shaping engine gets the letters themselves; the
    # basic layout their joined forms (compatibility-equal to the letters),
    # without the Arabic vowel marks it cannot place.
    expected = _letters(unicodedata.normalize("NFKC", name))
    if engine == ImageFont.Layout.BASIC:
        expected = "".join(c for c in expected if not _is_arabic_mark(c))
    drawn_letters = "".join(_letters(unicodedata.normalize("NFKC", t)) for _, t in drawn)
    assert sorted(drawn_letters) == sorted(expected)


def _is_arabic_mark(char: str) -> bool:
    return unicodedata.category(char) == "Mn" and unicodedata.name(char).startswith("ARABIC")


def test_arabic_is_drawn_with_the_arabic_face_and_right_to_left(drawn, monkeypatch):
    monkeypatch.setattr(lettering, "default_engine", lambda: ImageFont.Layout.BASIC)
    render_cover("مقهى الحزن", "x")
    assert {p.rsplit("/", 1)[-1] for p, _ in drawn} == {"NotoSansArabic[wdth,wght].ttf"}
    # The basic layout is given joined forms in display order: the first word
    # read (مقهى) stands at the right, so it is drawn last; its first letter
    # (meem) is the last character handed over.
    last = drawn[-1][1]
    assert unicodedata.name(last[-1]).startswith("ARABIC LETTER MEEM")
    assert all(0xFB50 <= ord(c) <= 0xFEFF or c == " " for _, t in drawn for c in t)


def test_mixed_names_keep_each_script_in_its_reading_order():
    setter = lettering.Setter(100, lettering.default_engine())
    placed = list(setter.placed_runs(["Trauercafé", "مقهى", "الحزن", "2024"], base_rtl=False))
    texts = [run.text for _, run in placed]
    # Left to right: the German word, then the two Arabic words right to left
    # (the later one on the left), the number after the Arabic read first.
    assert texts == ["Trauercafé", "2024", "الحزن", "مقهى"]
    xs = [x for x, _ in placed]
    assert xs == sorted(xs)


def test_characters_no_font_has_are_left_out_not_drawn_as_boxes(drawn):
    render_cover("Gruppe 🌈 Regenbogen 漢", "x")
    text = "".join(t for _, t in drawn)
    assert "🌈" not in text and "漢" not in text
    assert _letters(text) == "GruppeRegenbogen"


def test_the_fonts_come_from_packages_not_from_the_system():
    for family in lettering.FAMILIES:
        path = str(lettering.face_path(family))
        assert "site-packages" in path or "dist-packages" in path
        assert not path.startswith(("/usr/share/fonts", "/usr/local/share/fonts"))
