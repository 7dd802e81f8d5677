"""Statistics pages, CSV files and API: who sees them, and small numbers withheld
the same way in all three."""

from __future__ import annotations

import csv
import io

import pytest
from lxml import html

from mediahub.core.extensions import db
from tests.stats.conftest import ANTENNAPOD, OVERCAST, PODCASTS, count, listen

WITHHELD = "fewer than 3"


@pytest.fixture
def listened(app, client, team, people, publish):
    """A group whose episode was heard by 5 AntennaPod, 2 Overcast and 1 Apple
    Podcasts listeners today (all on different addresses)."""
    group = team()
    episode = publish(group, people["member"], title="Wie wir uns trafen")
    url = f"/media/episodes/{episode.guid}.mp3"
    n = 0
    for agent, listeners in ((ANTENNAPOD, 5), (OVERCAST, 2), (PODCASTS, 1)):
        for _ in range(listeners):
            n += 1
            listen(client, url, agent, f"192.0.2.{n}")
    count(app)
    for person in people.values():
        person.locale = "en"
    db.session.commit()
    return group, episode


def _rows(page_html, caption):
    tree = html.fromstring(page_html)
    (section,) = [s for s in tree.iter("section") if s.findtext("h2") == caption]
    return {
        row[0].text_content().strip(): [c.text_content().strip() for c in row[1:]]
        for row in section.iter("tr")
        if row.find("td") is not None
    }


def test_a_breakdown_with_one_or_two_listeners_says_fewer_than_3_everywhere(
    client, browser, api_token, people, listened
):
    group, _episode = listened
    manager = browser(people["manager"])
    page = manager.get(f"/groups/{group.slug}/stats")
    assert page.status_code == 200
    apps = _rows(page.get_data(as_text=True), "Apps")
    assert apps == {"AntennaPod": ["5"], "Overcast": [WITHHELD], "Apple Podcasts": [WITHHELD]}
    text = page.get_data(as_text=True)
    assert "Figures from fewer than 3 different listeners are shown as" in text

    csv_file = manager.get(f"/groups/{group.slug}/stats/apps.csv")
    assert csv_file.status_code == 200 and csv_file.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(csv_file.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [
        ["App", "Downloads"],
        ["AntennaPod", "5"],
        ["Apple Podcasts", WITHHELD],
        ["Overcast", WITHHELD],
    ]

    answer = client.get(f"/api/v1/groups/{group.slug}/stats", headers=api_token(people["manager"]))
    assert answer.status_code == 200
    by_app = {row["app"]: row["downloads"] for row in answer.get_json()["by_app"]}
    assert by_app == {"AntennaPod": 5, "Overcast": WITHHELD, "Apple Podcasts": WITHHELD}
    assert answer.get_json()["downloads"] == 8


def test_a_day_of_a_small_episode_is_withheld(client, api_token, people, team, publish, app):
    group = team()
    episode = publish(group, people["member"])
    listen(client, f"/media/episodes/{episode.guid}.mp3", ANTENNAPOD)
    count(app)
    headers = api_token(people["manager"])
    answer = client.get(f"/api/v1/episodes/{episode.id}/stats", headers=headers).get_json()
    assert answer["downloads"] == WITHHELD
    assert [d["downloads"] for d in answer["by_day"]][-1] == WITHHELD
    assert {d["downloads"] for d in answer["by_day"][:-1]} == {0}
    group_answer = client.get(f"/api/v1/groups/{group.slug}/stats", headers=headers).get_json()
    assert group_answer["by_episode"] == [
        {"id": episode.id, "title": episode.title, "downloads": WITHHELD}
    ]


def test_the_charts_and_every_table_are_on_the_page_with_csv_files(browser, people, listened):
    group, episode = listened
    manager = browser(people["manager"])
    text = manager.get(f"/groups/{group.slug}/stats?by=week").get_data(as_text=True)
    tree = html.fromstring(text)
    assert len(tree.findall(".//svg")) >= 1
    assert tree.find(".//svg").get("role") == "img"
    links = [a.get("href") for a in tree.iter("a") if a.get("href", "").count(".csv")]
    names = {href.split("/stats/")[1].split(".csv")[0] for href in links}
    assert {"downloads-week", "episodes", "first-days", "apps", "devices", "subscribers"} <= names
    for href in links:
        assert manager.get(href).status_code == 200, href
    episode_page = manager.get(f"/groups/{group.slug}/stats/episodes/{episode.id}")
    assert episode_page.status_code == 200
    assert "Wie wir uns trafen" in episode_page.get_data(as_text=True)


def test_pages_are_german_first(browser, people, listened):
    group, _ = listened
    people["manager"].locale = "de"
    db.session.commit()
    text = browser(people["manager"]).get(f"/groups/{group.slug}/stats").get_data(as_text=True)
    assert "weniger als 3" in text and "Downloads pro Tag" in text


# -- who may see them -------------------------------------------------------------

GROUP_PAGE = {
    "manager": 200,
    "editor": 200,
    "admin": 200,
    "member": 403,
    "hub_editor": 403,
    "outsider": 403,
}
PRIVATE_PAGE = {**GROUP_PAGE, "editor": 403, "outsider": 404}


@pytest.mark.parametrize("who", sorted(GROUP_PAGE))
@pytest.mark.parametrize("visibility", ["public", "private"])
def test_who_sees_a_groups_statistics(client, browser, api_token, team, people, who, visibility):
    group = team(visibility=visibility)
    expected = (PRIVATE_PAGE if visibility == "private" else GROUP_PAGE)[who]
    assert browser(people[who]).get(f"/groups/{group.slug}/stats").status_code == expected
    api = client.get(f"/api/v1/groups/{group.slug}/stats", headers=api_token(people[who]))
    assert api.status_code == expected
    if expected != 200:
        assert api.get_json()["error"]["code"]


@pytest.mark.parametrize("who", sorted(GROUP_PAGE))
def test_only_admins_see_the_hubs_statistics(client, browser, api_token, people, who):
    expected = 200 if who == "admin" else 403
    assert browser(people[who]).get("/admin/stats").status_code == expected
    assert client.get("/api/v1/stats", headers=api_token(people[who])).status_code == expected


def test_anonymous_visitors_are_asked_to_log_in(client, team):
    group = team()
    assert client.get(f"/groups/{group.slug}/stats").status_code == 302
    assert client.get(f"/groups/{group.slug}/stats/apps.csv").status_code == 302
    assert client.get(f"/api/v1/groups/{group.slug}/stats").status_code == 401


def test_the_hub_ranks_its_groups(client, browser, people, listened, team, publish, app):
    group, _ = listened
    other = team("zweite")
    quiet = publish(other, people["member"])
    for n in range(3):
        listen(client, f"/media/episodes/{quiet.guid}.mp3", ANTENNAPOD, f"192.0.2.{100 + n}")
    count(app)
    page = browser(people["admin"]).get("/admin/stats").get_data(as_text=True)
    ranked = _rows(page, "Groups by downloads")
    assert ranked == {"1": [group.name, "8"], "2": [other.name, "3"]}


# -- the period asked for ---------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "from=2025-13-01",
        "from=1999-12-31",
        "to=2100-01-01",
        "from=2025-05-02&to=2025-05-01",
        "from=2020-01-01&to=2025-01-01",
        "from=2025-05-01T10:00",
        "from=\uff12\uff10\uff12\uff15-05-01",  # full-width digits
        "by=year",
    ],
)
def test_wrong_periods_are_said_plainly(client, browser, api_token, people, team, query):
    group = team()
    page = browser(people["manager"]).get(f"/groups/{group.slug}/stats?{query}")
    assert page.status_code == 422
    assert 'aria-invalid="true"' in page.get_data(as_text=True) or "by=year" in query
    if "by=" in query:
        return
    api = client.get(
        f"/api/v1/groups/{group.slug}/stats?{query}", headers=api_token(people["manager"])
    )
    assert api.status_code == 422
    assert api.get_json()["error"]["message"]
    assert (
        browser(people["manager"]).get(f"/groups/{group.slug}/stats/apps.csv?{query}").status_code
        == 422
    )


def test_the_period_is_the_one_asked_for(client, api_token, people, team):
    group = team()
    answer = client.get(
        f"/api/v1/groups/{group.slug}/stats?from=2025-02-27&to=2025-03-02",
        headers=api_token(people["manager"]),
    ).get_json()
    assert (answer["from"], answer["to"], answer["timezone"]) == (
        "2025-02-27",
        "2025-03-02",
        "Europe/Berlin",
    )
    assert [d["date"] for d in answer["by_day"]] == [
        "2025-02-27",
        "2025-02-28",
        "2025-03-01",
        "2025-03-02",
    ]


def test_the_api_is_described(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/groups/{slug}/stats", "/episodes/{episode_id}/stats", "/stats"):
        operation = spec["paths"][f"/api/v1{path}"]["get"]
        names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
        assert names == {"from", "to"}
        assert "422" in operation["responses"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Listener statistics", "We never store your IP address", "fewer than 3"]),
        ("de", ["Hörerstatistik", "Ihre IP-Adresse und die Kennung", "weniger als 3"]),
    ],
)
def test_the_privacy_page_says_what_is_counted_and_never_stored(anonymous, language, words):
    page = anonymous.get("/datenschutz", headers={"Accept-Language": language})
    assert page.status_code == 200
    text = " ".join(html.fromstring(page.get_data(as_text=True)).text_content().split())
    for word in words:
        assert word in text


def test_those_who_may_see_statistics_find_them(browser, people, team):
    group = team()
    for who, sees in (("editor", True), ("manager", True), ("member", False)):
        page = browser(people[who]).get("/my").get_data(as_text=True)
        assert (f"/groups/{group.slug}/stats" in page) is sees, who
    admin_page = browser(people["admin"]).get("/admin/").get_data(as_text=True)
    assert "/admin/stats" in admin_page
