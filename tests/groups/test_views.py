"""The group managers' page: settings, cover art and members."""

from __future__ import annotations

import io

import pytest

from mediahub.core.extensions import db
from mediahub.groups.models import GroupRole, Visibility
from mediahub.groups.services import group_by_slug, membership


def text(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def team(make_user, make_group):
    """Mia manages "trauer", Anna is a member there."""
    mia, anna = make_user("Mia"), make_user("Anna")
    make_group("trauer", name="Trauer", members={mia: "manager", anna: "member"})
    return mia, anna


SETTINGS = {
    "name": "Trauer Hamburg",
    "description": "Wir treffen uns *jeden* Dienstag.",
    "language": "de",
    "category": "grief",
    "visibility": "private",
    "is_explicit": "",
    "funding_url": "",
}


def test_manage_page_shows_settings_and_members(team, browser):
    mia, _anna = team
    resp = browser(mia).get("/groups/trauer/manage")
    assert resp.status_code == 200
    html = text(resp)
    assert "<h1>Gruppe verwalten: Trauer</h1>" in html
    assert "<legend>Wer kann die Gruppe sehen?</legend>" in html
    assert '<option selected value="de">Deutsch</option>' in html
    assert "Trauer und Verlust" in html
    assert "Anna" in html
    assert "(das sind Sie)" in html  # her own row cannot be changed


def test_saving_settings(team, browser):
    mia, _ = team
    resp = browser(mia).post_form("/groups/trauer/manage", SETTINGS)
    assert resp.status_code == 302
    group = group_by_slug("trauer")
    db.session.refresh(group)
    assert group.name == "Trauer Hamburg"
    assert group.visibility == Visibility.PRIVATE
    assert group.category == "grief"


def test_bad_settings_are_shown_at_their_fields_and_kept(team, browser):
    mia, _ = team
    resp = browser(mia).post_form(
        "/groups/trauer/manage", {**SETTINGS, "funding_url": "spenden bitte"}
    )
    assert resp.status_code == 422
    html = text(resp)
    assert 'id="funding_url-error"' in html
    assert "https://" in html
    assert "Wir treffen uns *jeden* Dienstag." in html
    assert group_by_slug("trauer").name == "Trauer"


def test_adding_a_member_by_email(team, browser, make_user):
    mia, _ = team
    bert = make_user("Bert")
    resp = browser(mia).post_form(
        "/groups/trauer/members", {"email": bert.email.upper(), "role": "editor"}
    )
    assert resp.status_code == 302
    assert membership(group_by_slug("trauer"), bert).role == GroupRole.EDITOR


def test_adding_an_unknown_email_says_what_to_do(team, browser):
    mia, _ = team
    resp = browser(mia).post_form(
        "/groups/trauer/members", {"email": "niemand@example.org", "role": "member"}
    )
    assert resp.status_code == 422
    html = text(resp)
    assert 'id="email-error"' in html
    assert "Es gibt kein Konto mit dieser E-Mail-Adresse." in html
    assert 'value="niemand@example.org"' in html


def test_changing_a_role_and_removing_a_member(team, browser):
    mia, anna = team
    manager = browser(mia)
    resp = manager.post_form(
        f"/groups/trauer/members/{anna.id}/role", {f"member-{anna.id}-role": "editor"}
    )
    assert resp.status_code == 302
    group = group_by_slug("trauer")
    assert membership(group, anna).role == GroupRole.EDITOR
    resp = manager.post_form(f"/groups/trauer/members/{anna.id}/remove")
    assert resp.status_code == 302
    assert membership(group, anna) is None


def test_invalid_role_is_shown_in_the_members_row(team, browser):
    mia, anna = team
    resp = browser(mia).post_form(
        f"/groups/trauer/members/{anna.id}/role", {f"member-{anna.id}-role": "king"}
    )
    assert resp.status_code == 422
    assert f'id="member-{anna.id}-role-error"' in text(resp)


def test_managers_cannot_change_or_remove_themselves(team, browser):
    mia, _ = team
    manager = browser(mia)
    resp = manager.post_form(
        f"/groups/trauer/members/{mia.id}/role", {f"member-{mia.id}-role": "member"}
    )
    assert resp.status_code == 403
    assert manager.post_form(f"/groups/trauer/members/{mia.id}/remove").status_code == 403
    assert membership(group_by_slug("trauer"), mia).role == GroupRole.MANAGER


def test_cover_upload_without_a_file_is_a_form_error(team, browser):
    mia, _ = team
    resp = browser(mia).post_form("/groups/trauer/cover", {})
    assert resp.status_code == 422
    html = text(resp)
    assert 'id="file-error"' in html
    assert "Bitte wählen Sie ein Bild aus." in html


def test_cover_upload_stores_a_square_picture(team, browser):
    from PIL import Image

    mia, _ = team
    picture = io.BytesIO()
    Image.new("RGB", (1600, 1400), "teal").save(picture, "PNG")
    picture.seek(0)
    resp = browser(mia).post_form(
        "/groups/trauer/cover",
        {"file": (picture, "bild.png", "image/png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    group = group_by_slug("trauer")
    db.session.refresh(group)
    assert (group.cover.width, group.cover.height) == (1400, 1400)


def test_cover_upload_of_a_document_is_a_form_error(team, browser):
    mia, _ = team
    resp = browser(mia).post_form(
        "/groups/trauer/cover",
        {"file": (io.BytesIO(b"%PDF-1.4 nope"), "brief.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert "kein Bild, das wir lesen können" in text(resp)
