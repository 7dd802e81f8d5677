"""Impressum, privacy page and help footer: written by admins, shown to all."""

from __future__ import annotations

import pytest

from mediahub.core.extensions import db
from mediahub.site.models import SiteTextKey
from mediahub.site.texts import save_texts

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


def test_legal_pages_say_what_is_missing_while_empty(client):
    for url in ("/impressum", "/datenschutz"):
        resp = client.get(url)
        assert resp.status_code == 200
        assert "has not filled in" in resp.get_data(as_text=True)


def test_texts_in_the_request_language_with_german_fallback(app, client, make_user):
    admin = make_user(hub_role="admin")
    save_texts(
        {
            (SiteTextKey.IMPRESSUM, "de"): "Betrieben von **Selbsthilfe e. V.**",
            (SiteTextKey.IMPRESSUM, "en"): "Run by **Selbsthilfe e. V.** (English)",
            (SiteTextKey.PRIVACY, "de"): "Wir speichern keine IP-Adressen.",
        },
        admin,
    )
    db.session.commit()
    assert "(English)" in client.get("/impressum").get_data(as_text=True)
    german = client.get("/impressum", environ_base=GERMAN).get_data(as_text=True)
    assert "<strong>Selbsthilfe e. V.</strong>" in german and "(English)" not in german
    assert '<html lang="de">' in german
    # No English privacy text: the German one is shown.
    assert "keine IP-Adressen" in client.get("/datenschutz").get_data(as_text=True)


def test_only_admins_edit_the_texts(client, make_user, browser):
    assert client.get("/admin/texts").status_code in {302, 401}
    member = browser(make_user())
    assert member.get("/admin/texts").status_code == 403
    resp = member.post_form("/admin/texts", {"impressum_de": "Gehackt"})
    assert resp.status_code == 403
    assert "Gehackt" not in client.get("/impressum").get_data(as_text=True)


def test_admin_edits_the_texts(client, make_user, browser):
    admin = browser(make_user(hub_role="admin"))
    page = admin.get("/admin/texts", environ_base=GERMAN).get_data(as_text=True)
    assert "Texte der Website" in page
    resp = admin.post_form(
        "/admin/texts",
        {
            "impressum_de": "Selbsthilfe-Kontaktstelle, Musterstraße 1",
            "impressum_en": "",
            "privacy_de": "Datenschutz auf Deutsch",
            "privacy_en": "Privacy in English",
            "help_footer_de": "Hilfe: [0800 111 0 111](tel:+498001110111)",
            "help_footer_en": "",
        },
    )
    assert resp.status_code == 302
    assert "Musterstraße 1" in client.get("/impressum").get_data(as_text=True)
    assert "Privacy in English" in client.get("/datenschutz").get_data(as_text=True)
    german = client.get("/datenschutz", environ_base=GERMAN).get_data(as_text=True)
    assert "Datenschutz auf Deutsch" in german
    # The form shows what is stored.
    assert "Musterstraße 1" in admin.get("/admin/texts").get_data(as_text=True)


def test_admin_form_needs_csrf(make_user, browser):
    admin = browser(make_user(hub_role="admin"))
    resp = admin.post("/admin/texts", data={"impressum_de": "x"})
    assert resp.status_code in {400, 422}


def test_too_long_text_is_refused_next_to_its_field(make_user, browser, client):
    admin = browser(make_user(hub_role="admin"))
    resp = admin.post_form("/admin/texts", {"impressum_de": "x" * 50_001})
    assert resp.status_code == 422
    assert 'id="impressum_de-error"' in resp.get_data(as_text=True)


@pytest.fixture
def help_footer(app, make_user):
    admin = make_user(hub_role="admin")
    save_texts(
        {
            (
                SiteTextKey.HELP_FOOTER,
                "de",
            ): "Telefonseelsorge: [0800 111 0 111](tel:+498001110111)",
        },
        admin,
    )
    db.session.commit()


def test_help_footer_and_legal_links_on_every_public_page(
    client, help_footer, make_group, make_user, make_episode, make_post, publish
):
    author = make_user()
    group = make_group("hilfe")
    episode = publish(make_episode(group, author))
    post = publish(make_post(group, author))
    for url in (
        "/",
        "/?q=nichts",
        "/groups/hilfe/",
        f"/groups/hilfe/episodes/{episode.id}",
        f"/groups/hilfe/posts/{post.id}",
        "/impressum",
        "/datenschutz",
        "/login",
        "/groups/gibt-es-nicht/",  # the 404 page, too
    ):
        page = client.get(url).get_data(as_text=True)
        assert 'href="tel:+498001110111"' in page, url
        assert 'href="/impressum"' in page and 'href="/datenschutz"' in page, url
