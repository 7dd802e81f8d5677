"""The admins' people and group lists come in pages (a national hub has
100,000 groups); a person whose change was refused is shown with the error
wherever their page is."""

from __future__ import annotations

from mediahub.admin.views import PER_PAGE


def test_people_and_groups_come_in_pages(make_user, make_group, browser):
    admin = make_user("Aaron Admin", hub_role="admin")
    for n in range(PER_PAGE + 5):
        make_user(f"Person {n:03d}")
        make_group(f"kreis-{n:03d}", name=f"Kreis {n:03d}")
    client = browser(admin)
    first = client.get("/admin/people").get_data(as_text=True)
    assert first.count('class="inline-form"') == PER_PAGE
    assert 'rel="next"' in first
    second = client.get("/admin/people?page=2").get_data(as_text=True)
    assert second.count('class="inline-form"') == 6  # 55 people and the admin
    assert "Person 054" in second and "Person 054" not in first
    groups = client.get("/admin/groups?page=2").get_data(as_text=True)
    assert "Kreis 054" in groups and "Kreis 000" not in groups
    assert client.get("/admin/groups?page=9").status_code == 404
