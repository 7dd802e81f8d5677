"""The admins' people and group lists are searched and come in pages reached
by the row before or after (a national hub has 200,000 people and 100,000
groups: no page number is counted or skipped to); a person whose change was
refused is shown with the error wherever their page is."""

from __future__ import annotations

import re

from mediahub.admin.views import PER_PAGE


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _names(html: str, prefix: str) -> list[str]:
    return list(dict.fromkeys(re.findall(rf"({prefix} \d\d\d)", html)))


def test_people_come_in_pages_forward_and_back(make_user, browser):
    admin = make_user("Aaron Admin", hub_role="admin")
    for n in range(PER_PAGE + 5):
        make_user(f"Person {n:03d}")
    client = browser(admin)
    first = client.get("/admin/people").get_data(as_text=True)
    assert first.count('class="inline-form"') == PER_PAGE
    assert _link(first, "prev") is None and "Zum Anfang der Liste" not in first
    second = client.get(_link(first, "next")).get_data(as_text=True)
    assert second.count('class="inline-form"') == 6  # 55 people and the admin
    assert _names(second, "Person") == [f"Person {n:03d}" for n in range(49, 55)]
    assert _link(second, "next") is None and "Zum Anfang der Liste" in second
    back = client.get(_link(second, "prev")).get_data(as_text=True)
    assert back.count('class="inline-form"') == PER_PAGE
    assert _names(back, "Person")[-1] == "Person 048"
    assert _link(back, "prev") is None  # the start again: nothing before it


def test_a_search_finds_people_by_name_or_address_whatever_the_case(make_user, browser):
    admin = make_user("Aaron Admin", hub_role="admin")
    make_user("Jürgen Özdemir", email="jo@example.org")
    make_user("Maria Schmidt", email="maria.s@beispiel.de")
    client = browser(admin)
    by_name = client.get("/admin/people?q=özdem").get_data(as_text=True)
    assert "Jürgen Özdemir" in by_name and "Maria Schmidt" not in by_name
    by_mail = client.get("/admin/people?q=BEISPIEL").get_data(as_text=True)
    assert "Maria Schmidt" in by_mail and "Jürgen Özdemir" not in by_mail
    assert 'value="BEISPIEL"' in by_mail  # the box keeps what was typed
    nobody = client.get("/admin/people?q=100%25_").get_data(as_text=True)
    assert "Niemand passt zu Ihrer Suche." in nobody


def test_groups_are_searched_and_paged_by_name(make_user, make_group, browser):
    admin = make_user("Aaron Admin", hub_role="admin")
    for n in range(PER_PAGE + 5):
        make_group(f"kreis-{n:03d}", name=f"Kreis {n:03d}")
    make_group("trauer-altona", name="Trauercafé Altona")
    client = browser(admin)
    first = client.get("/admin/groups").get_data(as_text=True)
    second = client.get(_link(first, "next")).get_data(as_text=True)
    assert "Kreis 054" in second and "Kreis 000" not in second
    assert "Trauercafé Altona" in second and "Trauercafé Altona" not in first
    found = client.get("/admin/groups?q=ALTONA").get_data(as_text=True)
    assert "Trauercafé Altona" in found and "Kreis 000" not in found
    assert _link(found, "next") is None
    assert "Keine Gruppe passt zu Ihrer Suche." in client.get("/admin/groups?q=xyz").get_data(
        as_text=True
    )


def test_a_forged_or_stale_position_shows_the_start(make_user, browser):
    admin = make_user("Aaron Admin", hub_role="admin")
    client = browser(admin)
    forged = (
        "after=999999",
        "before=1e9",
        "after=-1",
        "after=" + "9" * 40,
        "after=%C2%B2",
        "page=7",
    )
    for query in forged:
        page = client.get(f"/admin/people?{query}")
        assert page.status_code == 200
        assert "Aaron Admin" in page.get_data(as_text=True)
