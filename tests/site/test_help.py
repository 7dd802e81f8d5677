"""The help page: plain language in German and English, about recording,
review and the private feed address, linked from every logged-in page."""

from __future__ import annotations

import re

import pytest

TOPICS_DE = [
    "Eine Folge aufnehmen oder hochladen",
    "Was bei der Prüfung passiert",
    "Private Gruppen: die geheime Feed-Adresse",
    "Passwort vergessen?",
]
TOPICS_EN = [
    "Recording or uploading an episode",
    "What happens in review",
    "Private groups: the secret feed address",
    "Forgot your password?",
]


def _headings(html: str) -> list[str]:
    return re.findall(r"<h2 id=\"[^\"]+\">([^<]+)</h2>", html)


def _help(client, language: str) -> str:
    return client.get("/help", headers={"Accept-Language": language}).get_data(as_text=True)


def test_the_help_page_speaks_german_and_english(client):
    german = _help(client, "de")
    assert '<html lang="de">' in german and "<h1>Hilfe</h1>" in german
    for topic in TOPICS_DE:
        assert topic in german
    english = _help(client, "en")
    assert '<html lang="en">' in english and "<h1>Help</h1>" in english
    for topic in TOPICS_EN:
        assert topic in english
    # The same sections in both languages, each reachable from the contents.
    assert len(_headings(german)) == len(_headings(english)) == 8
    for html in (german, english):
        for anchor in re.findall(r'<h2 id="([^"]+)"', html)[1:]:
            assert f'href="#{anchor}"' in html


def test_the_help_names_the_buttons_people_see(client):
    """The German help quotes the German buttons, not English ones."""
    german = _help(client, "de")
    for button in (
        "Neue Folge",
        "Speichern",
        "An die Redaktion schicken",
        "Zurückholen",
        "Aufnahme starten",
        "Erneut versuchen",
        "Gruppe verwalten",
        "Adresse erstellen",
    ):
        assert f"„{button}“" in german, button


@pytest.mark.parametrize("path", ["/my", "/account", "/account/password", "/help"])
def test_every_logged_in_page_links_to_the_help(make_user, browser, path):
    me = browser(make_user("Anna"))
    html = me.get(path, headers={"Accept-Language": "de"}).get_data(as_text=True)
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert '<a href="/help">' in header
