"""The hub administration: people and groups."""

from __future__ import annotations

import pytest

from mediahub.accounts.models import HubRole
from mediahub.accounts.services import user_by_email
from mediahub.core.extensions import db
from mediahub.groups.services import group_by_slug


def text(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def admin(make_user):
    return make_user("Ada", hub_role="admin")


def test_start_page_counts_people_and_groups(admin, browser, make_group):
    make_group("trauer")
    html = text(browser(admin).get("/admin/"))
    assert "1 Konto" in html
    assert "1 Gruppe" in html


def test_a_national_hub_start_page_says_about_how_many(admin, browser, make_user, monkeypatch):
    """Counting 200,000 people took most of the start page's time; from
    EXACT_UP_TO rows on, PostgreSQL's estimate is shown, and said to be one."""
    from sqlalchemy import text as sql

    from mediahub.admin import services

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no estimate: a single hub counts")
    for n in range(11):
        make_user(f"Person {n}")
    with db.engine.begin() as conn:
        conn.execute(sql("ANALYZE users"))
    monkeypatch.setattr(services, "EXACT_UP_TO", 5)
    html = text(browser(admin).get("/admin/"))
    assert "etwa 12 Konten" in html
    assert "0 Gruppen" in html and "etwa" not in html.split("Konten")[1]


def test_creating_a_person_without_password(admin, browser):
    resp = browser(admin).post_form(
        "/admin/people",
        {"email": "Neu@Example.org", "display_name": "Neu", "password": "", "hub_role": "editor"},
    )
    assert resp.status_code == 302
    person = user_by_email("neu@example.org")
    assert person.hub_role == HubRole.EDITOR
    assert person.password_hash is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "kein-at-zeichen"}, "email", "Das ist keine gültige E-Mail-Adresse."),
        ({"display_name": " "}, "display_name", "Bitte geben Sie einen Namen ein"),
        ({"password": "kurz"}, "password", "mindestens 10 Zeichen"),
    ],
)
def test_creating_a_person_shows_errors_at_the_fields(admin, browser, data, field, message):
    form = {"email": "neu@example.org", "display_name": "Neu", "hub_role": "none", **data}
    resp = browser(admin).post_form("/admin/people", form)
    assert resp.status_code == 422
    html = text(resp)
    assert f'id="{field}-error"' in html
    assert message in html
    assert user_by_email("neu@example.org") is None


def test_duplicate_email_is_refused(admin, browser):
    resp = browser(admin).post_form(
        "/admin/people", {"email": admin.email, "display_name": "Doppelt", "hub_role": "none"}
    )
    assert resp.status_code == 422
    assert "Es gibt schon ein Konto mit dieser E-Mail-Adresse." in text(resp)


def test_changing_a_hub_role_and_deactivating(admin, browser, make_user):
    bert = make_user("Bert")
    other = browser(bert)  # logged in before being deactivated
    resp = browser(admin).post_form(
        f"/admin/people/{bert.id}", {f"person-{bert.id}-hub_role": "editor"}
    )
    assert resp.status_code == 302
    db.session.refresh(bert)
    assert bert.hub_role == HubRole.EDITOR
    assert not bert.is_active  # the checkbox was not ticked
    assert other.get("/my").status_code == 302  # logged out everywhere


def test_admins_cannot_take_their_own_rights(admin, browser):
    resp = browser(admin).post_form(
        f"/admin/people/{admin.id}",
        {f"person-{admin.id}-hub_role": "none", f"person-{admin.id}-is_active": "y"},
    )
    assert resp.status_code == 422
    assert "Sie können sich Ihre eigenen Administrationsrechte nicht nehmen." in text(resp)
    db.session.refresh(admin)
    assert admin.hub_role == HubRole.ADMIN


def test_creating_a_group_leads_to_its_members(admin, browser):
    resp = browser(admin).post_form(
        "/admin/groups",
        {
            "name": "Angst Altona",
            "slug": "angst-altona",
            "language": "de",
            "category": "anxiety",
            "visibility": "unlisted",
        },
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/groups/angst-altona/manage"
    assert group_by_slug("angst-altona").category == "anxiety"


def test_a_taken_or_bad_short_name_is_refused(admin, browser, make_group):
    make_group("trauer")
    admin_browser = browser(admin)
    form = {"name": "X", "language": "de", "category": "other", "visibility": "public"}
    resp = admin_browser.post_form("/admin/groups", {**form, "slug": "trauer"})
    assert resp.status_code == 422
    assert "Dieser Kurzname ist schon vergeben." in text(resp)
    resp = admin_browser.post_form("/admin/groups", {**form, "slug": "Mit Leerzeichen"})
    assert resp.status_code == 422
    assert 'id="slug-error"' in text(resp)
    assert 'value="Mit Leerzeichen"' in text(resp)
