"""The German catalog is complete and current; the interface speaks German
first and English after switching."""

from __future__ import annotations

from pathlib import Path

from babel.messages import extract
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "mediahub" / "translations"
GERMAN = TRANSLATIONS / "de" / "LC_MESSAGES"
KEYWORDS = {**extract.DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def _read_po(path: Path):
    with path.open("rb") as fh:
        return read_po(fh, locale="de" if "/de/" in str(path) else None)


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def test_every_text_in_the_template_has_a_german_translation():
    template, german = _read_po(TRANSLATIONS / "messages.pot"), _read_po(GERMAN / "messages.po")
    translated = {
        m.id
        for m in german
        if m.id
        and not m.fuzzy
        and (all(m.string) if isinstance(m.string, tuple) else bool(m.string))
    }
    missing = sorted(map(str, _ids(template) - translated))
    assert not missing, f"not translated into German (pybabel update, then translate): {missing}"


def test_the_template_contains_every_text_of_the_code_and_pages():
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {
        message
        for _file, _line, message, _comments, _context in extract.extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS
        )
    }
    found = {m[0] if isinstance(m, tuple) else m for m in found}
    known = {
        m[0] if isinstance(m, tuple) else m for m in _ids(_read_po(TRANSLATIONS / "messages.pot"))
    }
    assert not sorted(found - known), (
        "messages.pot is out of date: run pybabel extract (see babel.cfg)"
    )


def test_translations_keep_their_placeholders():
    german = _read_po(GERMAN / "messages.po")
    problems = [(str(m.id), [str(e) for e in errors]) for m, errors in german.check() if errors]
    assert not problems


def test_the_compiled_catalog_matches_the_source():
    german = _read_po(GERMAN / "messages.po")
    with (GERMAN / "messages.mo").open("rb") as fh:
        compiled = read_mo(fh)

    def text(string):
        return string if isinstance(string, str) else tuple(string)

    stale = [
        str(m.id) for m in german if m.id and text(compiled.get(m.id).string) != text(m.string)
    ]
    assert not stale, "messages.mo is stale: run pybabel compile -d mediahub/translations"


def test_pages_are_german_by_default_and_english_after_switching(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Anmelden" in html
    assert "Zum Inhalt springen" in html

    resp = client.post_form("/language", {"locale": "en", "next": "/login"})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html


def test_the_chosen_language_is_remembered_for_the_account(client, browser, make_user):
    anna = make_user("Anna")
    first = browser(anna)
    assert first.post_form("/language", {"locale": "en"}).status_code == 302
    # Another device of the same person shows her language after logging in.
    second = browser(anna)
    assert "<h1>My page</h1>" in second.get("/my").get_data(as_text=True)


def test_form_errors_of_the_services_are_translated(browser, make_user, make_group):
    anna = make_user("Anna")
    make_group("trauer", members={anna: "member"})
    german = browser(anna)
    resp = german.post_form("/groups/trauer/posts/new", {"title": ""})
    assert "Bitte geben Sie einen Titel ein." in resp.get_data(as_text=True)
    german.post_form("/language", {"locale": "en"})
    resp = german.post_form("/groups/trauer/posts/new", {"title": ""})
    assert "Please enter a title." in resp.get_data(as_text=True)
